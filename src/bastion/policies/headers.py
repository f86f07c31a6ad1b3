"""``headers``: add, remove and require request and response headers; secure response defaults.

Secure defaults (``secure_defaults: true``), applied to every response on the route unless the
upstream already chose a stricter value: ``X-Content-Type-Options: nosniff``,
``Referrer-Policy: no-referrer``, ``X-Frame-Options: DENY``, a ``Content-Security-Policy`` that
forbids everything (API responses are not documents), and ``Cache-Control: no-store`` when the
request was authenticated, so a shared cache never keeps one user's data for another.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, field_validator

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.http.headers import HOP_BY_HOP
from bastion.http.problem import BAD_REQUEST, Problem

_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_VALUE = re.compile(r"^[\t\x20-\x7e\x80-\xff]*$")
PROTECTED = HOP_BY_HOP | {"host", "content-length"}
SECURE_DEFAULTS = (
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("content-security-policy", "default-src 'none'; frame-ancestors 'none'"),
)


class HeaderRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    add: dict[str, str] = {}
    """Headers set (replacing any existing value)."""
    remove: list[str] = []
    """Headers removed."""
    require: list[str] = []
    """Request only: headers that must be present (400 otherwise)."""

    @field_validator("add")
    @classmethod
    def _add(cls, v: dict[str, str]) -> dict[str, str]:
        for name, value in v.items():
            if not _TOKEN.match(name) or name.lower() in PROTECTED:
                raise ValueError(f"{name!r} is not a header name this policy may set")
            if not _VALUE.match(value):
                raise ValueError(f"value for {name!r} contains control characters")
        return {k.lower(): val for k, val in v.items()}

    @field_validator("remove", "require")
    @classmethod
    def _names(cls, v: list[str]) -> list[str]:
        for name in v:
            if not _TOKEN.match(name):
                raise ValueError(f"{name!r} is not a valid header name")
        return [n.lower() for n in v]


class HeadersConfig(PolicyConfig):
    request: HeaderRules = HeaderRules()
    response: HeaderRules = HeaderRules()
    secure_defaults: bool = True
    """Add the secure response headers listed in the module docstring."""


class HeadersPolicy(Policy):
    name: ClassVar[str] = "headers"
    config_model = HeadersConfig
    config: HeadersConfig

    def __init__(self, config: HeadersConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        if config.response.require:
            from bastion.errors import ConfigError

            raise ConfigError("response.require", "`require` applies to requests only")

    async def on_request(self, ex: Exchange) -> Problem | None:
        rules = self.config.request
        for name in rules.require:
            if name not in ex.request.headers:
                return BAD_REQUEST.problem(f"missing required header {name}")
        fh = ex.forward_headers
        if rules.remove:
            fh.remove_many(set(rules.remove))
        for name, value in rules.add.items():
            fh.set(name, value)
        return None

    async def on_response(self, ex: Exchange) -> Problem | None:
        if ex.response is None:
            return None
        h = ex.response.headers
        rules = self.config.response
        if rules.remove:
            h.remove_many(set(rules.remove))
        for name, value in rules.add.items():
            h.set(name, value)
        if self.config.secure_defaults:
            for name, value in SECURE_DEFAULTS:
                h.setdefault(name, value)
            if ex.principal is not None or "authorization" in ex.request.headers:
                h.set("cache-control", "no-store")
        return None
