"""``cors``: cross-origin access decided by the gateway, from an explicit list of origins.

    - cors:
        origins: [https://app.example.com]
        methods: [GET, POST]
        headers: [authorization, content-type]
        credentials: true

- Origins are compared exactly (scheme, host and port, as browsers serialise them); there are no
  patterns, suffix matches or reflected origins. ``null`` can never be allowed. ``*`` is allowed
  only without credentials — ``*`` with credentials is a configuration error.
- Preflights (``OPTIONS`` with ``Access-Control-Request-Method``) are answered by the gateway and
  never reach the upstream: 204 with the allow headers, or 403. The 204 travels as a ``Problem`` of
  type ``PREFLIGHT`` (status 204; the engine sends a 204 with headers only and no body) because a
  problem is the contract's only short-circuit.
- On responses the gateway is the only authority: upstream ``Access-Control-*`` fields are removed
  and replaced by the policy's own, with ``Vary: Origin``.
- A request that carries a disallowed ``Origin`` is refused with 403 (``block_disallowed``), which
  also stops cross-site "simple" requests (form POSTs) before they reach the upstream.

OWASP API8:2023 (security misconfiguration), CWE-942.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import Field, field_validator, model_validator

from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.http.problem import FORBIDDEN, Problem, ProblemType

if TYPE_CHECKING:
    from bastion.chain.exchange import Exchange

PREFLIGHT = ProblemType("cors-preflight", "CORS preflight accepted", 204)
"""Not an error: the gateway's answer to an accepted preflight (sent as 204, headers only)."""

_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$|^https?://\[[0-9a-f:.]+\](:[0-9]{1,5})?$")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class CorsConfig(PolicyConfig):
    origins: tuple[str, ...]
    """Exact origins (``https://app.example.com``), or ``["*"]`` for any origin without credentials."""
    methods: tuple[str, ...] = ("GET", "HEAD", "POST")
    headers: tuple[str, ...] = ()
    """Request headers a cross-origin caller may send (beyond the CORS-safelisted ones)."""
    expose_headers: tuple[str, ...] = ()
    credentials: bool = False
    """Allow cookies and Authorization on cross-origin requests (never with ``*``)."""
    max_age: int = Field(default=600, ge=0, le=86400)
    """Seconds a browser may cache a preflight answer."""
    block_disallowed: bool = True
    """Refuse (403) requests whose ``Origin`` is not allowed. List the API's own origin if browsers
    call it same-origin with POST (browsers send ``Origin`` then too)."""

    @field_validator("origins")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("list at least one origin")
        for origin in value:
            if origin == "*":
                continue
            if origin == "null":
                raise ValueError("'null' cannot be allowed: sandboxed frames and file: pages all send it")
            if not _ORIGIN.match(origin):
                raise ValueError(f"{origin!r} is not an origin: scheme://host[:port], lower-case, no path")
        if "*" in value and len(value) > 1:
            raise ValueError("'*' cannot be combined with explicit origins")
        return value

    @field_validator("methods", "headers", "expose_headers")
    @classmethod
    def _tokens(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not _TOKEN.match(item) or item == "*":
                raise ValueError(f"{item!r} is not a field or method name (wildcards are not allowed)")
        return value

    @model_validator(mode="after")
    def _no_wildcard_with_credentials(self) -> CorsConfig:
        if self.credentials and "*" in self.origins:
            raise ValueError("origins '*' with credentials: true would let any site act as the user")
        return self


class CorsPolicy(Policy):
    name = "cors"
    config_model = CorsConfig
    config: CorsConfig

    def __init__(self, config: CorsConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        self._any = config.origins == ("*",)
        self._origins = frozenset(config.origins)
        self._methods = frozenset(config.methods)
        self._headers = frozenset(h.lower() for h in config.headers)
        shared: list[tuple[str, str]] = [("vary", "Origin")]
        if config.credentials:
            shared.append(("access-control-allow-credentials", "true"))
        self._shared = tuple(shared)
        self._preflight = (
            ("access-control-allow-methods", ", ".join(config.methods)),
            *((("access-control-allow-headers", ", ".join(config.headers)),) if config.headers else ()),
            ("access-control-max-age", str(config.max_age)),
        )
        expose = ", ".join(config.expose_headers)
        self._expose = (("access-control-expose-headers", expose),) if expose else ()

    async def on_request(self, ex: Exchange) -> Problem | None:
        origin = ex.request.headers.get("origin")
        if origin is None:
            return None
        allowed = self._any or origin in self._origins
        ex.notes[self.name] = allowed
        requested = ex.request.headers.get("access-control-request-method")
        if ex.request.method == "OPTIONS" and requested is not None:
            if not allowed or not self._preflight_ok(requested, ex):
                return FORBIDDEN.problem("cross-origin request not allowed")
            ex.notes[self.name] = "preflight"
            return PREFLIGHT.problem(headers=(*self._allow_origin(origin), *self._shared, *self._preflight))
        if not allowed and self.config.block_disallowed:
            return FORBIDDEN.problem("cross-origin request not allowed")
        return None

    async def on_response(self, ex: Exchange) -> Problem | None:
        verdict = ex.notes.get(self.name)
        if ex.response is None or verdict == "preflight":
            return None  # the preflight answer already carries its headers
        headers = ex.response.headers
        for name in [k for k in headers.keys() if k.startswith("access-control-")]:
            headers.remove(name)
        origin = ex.request.headers.get("origin")
        if origin is not None and verdict:
            for name, value in (*self._allow_origin(origin), *self._shared, *self._expose):
                headers.add(name, value)
        elif not self._any:
            headers.add("vary", "Origin")  # caches must not reuse this answer for another origin
        return None

    def _preflight_ok(self, requested: str, ex: Exchange) -> bool:
        if requested not in self._methods:
            return False
        asked = ex.request.headers.get("access-control-request-headers") or ""
        names = {h.strip().lower() for h in asked.split(",") if h.strip()}
        return names <= self._headers

    def _allow_origin(self, origin: str) -> tuple[tuple[str, str], ...]:
        return (("access-control-allow-origin", "*" if self._any else origin),)
