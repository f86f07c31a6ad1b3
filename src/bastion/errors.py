"""Bastion's few internal exceptions.

    BastionError
    ├── ConfigError          a configuration value is wrong; carries the key path
    ├── SecretError          a secret reference cannot be resolved (never carries the value)
    └── UpstreamError        the upstream could not be reached or answered badly
        ├── UpstreamUnavailable
        └── UpstreamTimeout

Third-party exceptions are mapped to these once, at the boundary where they occur.
Messages never contain secret values, tokens or upstream error text meant for clients.
"""

from __future__ import annotations


class BastionError(Exception):
    """Base class of every error Bastion raises on purpose."""


class ConfigError(BastionError):
    """A configuration error, located by file, line and key path."""

    def __init__(self, path: str, msg: str, *, file: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.msg = msg
        self.file = file
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        key = f"{self.path}: " if self.path else ""
        return f"{where}{key}{self.msg}"


class SecretError(BastionError):
    """A secret reference could not be resolved. The message names the reference, never a value."""


class UpstreamError(BastionError):
    """The upstream could not be used. The message is for logs only, never for clients."""


class UpstreamUnavailable(UpstreamError):
    """Connection refused, reset, TLS failure, circuit open, or a malformed upstream response."""


class UpstreamTimeout(UpstreamError):
    """The upstream did not connect or answer in time."""


class SecurityWarning(UserWarning):
    """Insecure but allowed configuration (plain HTTP, verification off, report-only auth...)."""
