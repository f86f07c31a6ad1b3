"""``methods``: an allow-list of HTTP methods for a route.

    - methods: {allow: [GET, POST]}

Any other method gets 405 with an ``Allow`` header. ``HEAD`` is allowed with ``GET`` unless
``head: false``. ``TRACE``, ``TRACK`` and ``CONNECT`` cannot be allowed at all (cross-site tracing
and tunnelling; the server refuses TRACE/TRACK everywhere too, and method-override headers such as
``X-HTTP-Method-Override``, which would let an upstream run a method this list refused). Method names are
compared exactly:
HTTP methods are case-sensitive, so ``get`` is not ``GET``. OWASP API8:2023, CWE-650.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import field_validator

from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.http.problem import METHOD_NOT_ALLOWED, Problem

if TYPE_CHECKING:
    from bastion.chain.exchange import Exchange

NEVER = frozenset({"TRACE", "TRACK", "CONNECT"})
_TOKEN = re.compile(r"^[A-Z][A-Z-]{0,19}$")


class MethodsConfig(PolicyConfig):
    allow: tuple[str, ...]
    """Methods the route accepts, upper-case (``GET``, ``POST`` ...)."""
    head: bool = True
    """Allow ``HEAD`` wherever ``GET`` is allowed."""

    @field_validator("allow")
    @classmethod
    def _methods(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("list at least one method")
        for method in value:
            if not _TOKEN.match(method):
                raise ValueError(f"{method!r} is not an upper-case HTTP method")
            if method in NEVER:
                raise ValueError(f"{method} is refused everywhere and cannot be allowed")
        return value


class MethodsPolicy(Policy):
    name = "methods"
    config_model = MethodsConfig
    config: MethodsConfig

    def __init__(self, config: MethodsConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        allowed = set(config.allow)
        if config.head and "GET" in allowed:
            allowed.add("HEAD")
        self._allowed = frozenset(allowed)
        self._allow_header = (("allow", ", ".join(sorted(allowed))),)

    async def on_request(self, ex: Exchange) -> Problem | None:
        if ex.request.method in self._allowed:
            return None
        return METHOD_NOT_ALLOWED.problem("method not allowed on this route", headers=self._allow_header)
