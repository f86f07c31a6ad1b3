"""Secret references: ``${env:NAME}``, ``${file:PATH}`` and ``${secret:NAME}``.

Configuration never holds a secret value, only a reference to where the value lives:

``${env:NAME}``     the environment variable ``NAME`` (must be set and non-empty);
``${file:PATH}``    the contents of the file ``PATH`` (relative paths resolve against ``base_dir``,
                    normally the directory of the configuration file); one trailing newline is removed;
``${secret:NAME}``  the current version of ``NAME`` in the encrypted secret store (``bastion secrets``);
                    resolved only when the caller passes a ``secret_lookup`` function.

The bare forms ``env:NAME`` and ``file:PATH`` are accepted too. ``resolve_reference`` returns the value
as ``str``; ``resolve_secret`` wraps it in a ``Secret`` whose ``repr``/``str`` are masked, so it cannot
leak through logging or an exception message by accident. Errors are ``SecretError`` and name the
reference (its kind and variable or path), never a value.

Usage from the config loader::

    from bastion.secrets.references import is_reference, resolve_reference
    if isinstance(value, str) and is_reference(value):
        value = resolve_reference(value, base_dir=config_dir)
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from bastion.errors import SecretError

_REFERENCE = re.compile(r"^\$\{(env|file|secret):([^}]+)\}$|^(env|file):(.+)$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SECRET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,127}$")
MAX_FILE_BYTES = 1 << 20

SecretLookup = Callable[[str], str]
"""``name -> current value`` of a secret in the store; raises ``SecretError`` when it is missing."""


class Secret:
    """A secret value with a masked ``repr``/``str``. Call ``reveal()`` at the point of use only."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        import hmac

        return isinstance(other, Secret) and hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("Secret", len(self._value)))

    def __bool__(self) -> bool:
        return bool(self._value)


def parse_reference(value: str) -> tuple[str, str] | None:
    """Split a reference into ``(kind, target)``; ``None`` when ``value`` is not a reference."""
    m = _REFERENCE.match(value.strip())
    if m is None:
        return None
    kind = m.group(1) or m.group(3)
    target = (m.group(2) or m.group(4)).strip()
    return kind, target


def is_reference(value: str) -> bool:
    return parse_reference(value) is not None


def resolve_reference(
    ref: str,
    *,
    base_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    secret_lookup: SecretLookup | None = None,
) -> str:
    """Return the value a reference points to, or raise ``SecretError`` naming the reference."""
    parsed = parse_reference(ref)
    if parsed is None:
        raise SecretError("not a secret reference: expected ${env:NAME}, ${file:PATH} or ${secret:NAME}")
    kind, target = parsed
    if kind == "env":
        return _from_env(target, os.environ if environ is None else environ)
    if kind == "file":
        return _from_file(target, base_dir)
    if secret_lookup is None:
        raise SecretError(f"${{secret:{target}}}: no secret store is configured")
    if not SECRET_NAME.match(target):
        raise SecretError("${secret:…}: invalid secret name")
    return secret_lookup(target)


def resolve_secret(
    ref: str,
    *,
    base_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    secret_lookup: SecretLookup | None = None,
) -> Secret:
    """Like ``resolve_reference`` but returns a masked ``Secret``."""
    return Secret(resolve_reference(ref, base_dir=base_dir, environ=environ, secret_lookup=secret_lookup))


def _from_env(name: str, environ: Mapping[str, str]) -> str:
    if not _ENV_NAME.match(name):
        raise SecretError("${env:…}: invalid environment variable name")
    value = environ.get(name)
    if not value:
        raise SecretError(f"${{env:{name}}}: environment variable is not set or empty")
    return value


def _from_file(target: str, base_dir: Path | None) -> str:
    path = Path(target).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SecretError(f"${{file:{target}}}: cannot read file ({reason})") from None
    if len(data) > MAX_FILE_BYTES:
        raise SecretError(f"${{file:{target}}}: file is larger than {MAX_FILE_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SecretError(f"${{file:{target}}}: file is not UTF-8 text") from None
    if text.endswith("\n"):
        text = text[:-2] if text.endswith("\r\n") else text[:-1]
    if not text:
        raise SecretError(f"${{file:{target}}}: file is empty")
    return text
