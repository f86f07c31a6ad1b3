"""The gateway configuration as typed, frozen models (``extra="forbid"``).

Field docstrings are the configuration reference (``bastion config schema`` exports them) and carry
the security caveats. Sections owned by other capabilities are validated by the models registered
in ``config/sections.py``.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bastion.config.units import Duration, Size

_ROUTE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


def _check_address(value: str) -> str:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535 or not host:
        raise ValueError("expected HOST:PORT, e.g. 0.0.0.0:8443 or [::1]:8443")
    return value


class ListenerTLS(Model):
    cert: str
    """PEM certificate chain file (relative to the config file)."""
    key: str
    """PEM private key file. Keep it readable by the gateway user only."""
    min_version: Literal["1.2", "1.3"] = "1.2"
    """Lowest TLS version accepted. 1.0 and 1.1 are never offered."""
    client_ca: str | None = None
    """CA bundle for client certificates (mTLS). With it, client certificates are verified (full chain)."""
    client_auth: Literal["optional", "required"] = "optional"
    """With ``client_ca``: ``required`` refuses handshakes without a valid client certificate."""


class Listener(Model):
    address: str
    """``HOST:PORT`` to bind."""
    tls: ListenerTLS | None = None
    plaintext: bool = False
    """Plain HTTP. Only when said explicitly; ``bastion config check`` warns about it."""
    hsts: bool = True
    """Send ``Strict-Transport-Security`` on TLS listeners."""
    hsts_max_age: int = 31536000
    forward_proxy: bool = False
    """Serve as an explicit forward proxy for egress partners (``egress.forward_proxy``): absolute-form
    requests and CONNECT are accepted here, and only here; nothing else is served on this listener."""

    _addr = field_validator("address")(classmethod(lambda cls, v: _check_address(v)))

    @model_validator(mode="after")
    def _tls_or_plaintext(self) -> Listener:
        if self.tls is None and not self.plaintext:
            raise ValueError("a listener needs `tls` (cert, key) or an explicit `plaintext: true`")
        if self.tls is not None and self.plaintext:
            raise ValueError("`tls` and `plaintext: true` are mutually exclusive")
        return self


class Limits(Model):
    max_request_line: int = Field(8192, ge=64)
    """Longest request line (method, target, version) in bytes; longer gets 414."""
    max_header_bytes: int = Field(16384, ge=256)
    """Total size of the request head in bytes; larger gets 431."""
    max_headers: int = Field(100, ge=4)
    """Most header fields in one request; more gets 431."""
    max_body_bytes: Size = 1048576
    """Largest request body; larger gets 413. A route's ``request_size`` policy may lower it."""
    max_response_buffer: Size = 8388608
    """Largest upstream body buffered when a policy needs the whole response; larger gets 502."""
    header_timeout: Duration = 10.0
    """Time allowed to receive a request head (slowloris protection); then 408 and close."""
    body_timeout: Duration = 30.0
    """Longest pause between two pieces of a request body; then 408 and close."""
    keepalive_timeout: Duration = 60.0
    """Idle time before a keep-alive client connection is closed."""
    drain_timeout: Duration = 15.0
    """On shutdown or reload, how long in-flight requests may run before connections are closed."""
    max_pipelined: int = Field(16, ge=1)
    """Most requests queued on one connection (HTTP/1.1 pipelining) before reading pauses."""


class UpstreamTLS(Model):
    ca: str | None = None
    """CA bundle that signs the upstream's certificate. Default: the system trust store."""
    verify: bool = True
    """Verify the upstream certificate and host name. Turning it off is a SecurityWarning."""
    server_name: str | None = None
    """SNI and host name to verify, when it differs from the URL's host."""
    cert: str | None = None
    """Client certificate for mTLS to the upstream."""
    key: str | None = None

    @model_validator(mode="after")
    def _pair(self) -> UpstreamTLS:
        if (self.cert is None) != (self.key is None):
            raise ValueError("`cert` and `key` go together for upstream mTLS")
        return self


class UpstreamTimeouts(Model):
    connect: Duration = 2.0
    read: Duration = 30.0
    """Longest wait for the response head, and between two pieces of the response body."""
    total: Duration = 60.0
    """Whole-exchange limit, from the first byte sent to the last byte received."""


class CircuitBreaker(Model):
    failures: int = Field(5, ge=1)
    """Consecutive failures that open the circuit."""
    cooldown: Duration = 10.0
    """How long an open circuit answers 503 at once before one trial request is let through."""


class Upstream(Model):
    url: str
    """``https://host:port[/base]``, ``http://…`` (plain, warned about) or ``internal:<app>``."""
    tls: UpstreamTLS = UpstreamTLS()
    timeouts: UpstreamTimeouts = UpstreamTimeouts()
    retries: int = Field(1, ge=0, le=5)
    """Retries for idempotent methods, only when no byte reached the upstream."""
    max_connections: int = Field(256, ge=1)
    max_idle: int = Field(64, ge=0)
    idle_timeout: Duration = 4.0
    """How long an idle pooled connection is reused. Keep it below the upstream's own keep-alive timeout
    (Node.js closes after 5 s): a POST on a connection the upstream already closed is not replayed."""
    circuit_breaker: CircuitBreaker = CircuitBreaker()
    preserve_host: bool = False
    """Send the client's Host upstream instead of the upstream's own authority."""

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if v.startswith("internal:"):
            return v
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("expected http(s)://host[:port][/path] or internal:<name>")
        if parts.query or parts.fragment or parts.username:
            raise ValueError("no query, fragment or credentials in an upstream URL")
        return v


class Match(Model):
    path: str | None = None
    """A path template: ``/orders/{order_id}``; each ``{param}`` matches one non-empty segment."""
    prefix: str | None = None
    """A path prefix on segment boundaries: ``/api/`` matches ``/api/x`` but not ``/apix``."""
    methods: list[str] | None = None
    """Allowed methods; requests with others get 405 with ``Allow``. Default: all but TRACE/CONNECT."""
    host: str | None = None
    """Exact host (``api.example.com``) or a leading wildcard (``*.example.com``)."""

    @model_validator(mode="after")
    def _one(self) -> Match:
        if (self.path is None) == (self.prefix is None):
            raise ValueError("give exactly one of `path` or `prefix`")
        p = self.path or self.prefix or ""
        if not p.startswith("/"):
            raise ValueError("paths start with '/'")
        return self

    @field_validator("methods")
    @classmethod
    def _methods(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        out = [m.upper() for m in v]
        bad = [m for m in out if m not in _METHODS]
        if bad:
            raise ValueError(f"unsupported method(s) {bad}; expected some of {sorted(_METHODS)}")
        return out


class Route(Model):
    id: str
    """Stable route id (letters, digits, ``_.:-``), used in logs, metrics and audit events."""
    match: Match
    upstream: str | None = None
    """Name of an entry in ``upstreams``."""
    public: bool = False
    """A route without an authentication policy must say ``public: true``; deny by default."""
    policies: list[dict[str, Any]] = []
    """Ordered policies, each a one-key mapping ``{name: {config}}``. Responses unwind in reverse."""
    strip_prefix: str | None = None
    """Remove this leading path before forwarding (``/api`` + ``/api/x`` → ``/x``)."""
    openapi: str | None = None
    """Name of an ``openapi`` document describing this route's operations."""

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ROUTE_ID.match(v):
            raise ValueError("route ids are 1-64 characters of letters, digits and _.:-")
        return v

    @field_validator("policies")
    @classmethod
    def _policies(cls, v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for i, p in enumerate(v):
            if not isinstance(p, dict) or len(p) != 1:
                raise ValueError(f"policies[{i}] must be a one-key mapping such as `- jwt: {{issuer: corp}}`")
        return v


class Admin(Model):
    address: str = "127.0.0.1:9000"
    """The admin listener (metrics, alerts, dashboard). Loopback by default."""
    token: str | None = None
    """Admin token as a reference (``${env:NAME}`` or ``${file:PATH}``); required off loopback."""
    tls: ListenerTLS | None = None

    _addr = field_validator("address")(classmethod(lambda cls, v: _check_address(v)))


class GatewayConfig(Model):
    listeners: list[Listener] = Field(min_length=1)
    upstreams: dict[str, Upstream] = {}
    routes: list[Route] = []
    limits: Limits = Limits()
    trusted_proxies: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    """Peers whose ``X-Forwarded-For``/``-Proto``/``-Host`` are believed. Everyone else's are replaced."""
    state: str = "memory"
    """``memory`` (one instance) or ``redis://host:port/db`` (state shared by several instances)."""
    openapi: dict[str, str] = {}
    """OpenAPI documents by name (file paths relative to this file)."""
    admin: Admin | None = None
    request_id_header: str = "x-request-id"
    server_header: bool = False
    """Send ``Server: bastion``. Off by default: don't advertise the technology."""
    # sections owned by other capabilities, validated by config/sections.py
    issuers: dict[str, Any] | None = None
    oauth: dict[str, Any] | None = None
    audit: dict[str, Any] | None = None
    access_log: dict[str, Any] | None = None
    anomaly: dict[str, Any] | None = None
    secrets: dict[str, Any] | None = None
    egress: dict[str, Any] | None = None
    dataflow: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    tracing: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _refs(self) -> GatewayConfig:
        ids: set[str] = set()
        for i, r in enumerate(self.routes):
            if r.id in ids:
                raise ValueError(f"routes[{i}].id: duplicate route id {r.id!r}")
            ids.add(r.id)
            if r.upstream is not None and r.upstream not in self.upstreams:
                raise ValueError(f"routes[{i}].upstream: no upstream named {r.upstream!r} in `upstreams`")
            if r.openapi is not None and r.openapi not in self.openapi:
                raise ValueError(f"routes[{i}].openapi: no document named {r.openapi!r} in `openapi`")
        proxy_section = isinstance(self.egress, dict) and self.egress.get("forward_proxy") is not None
        for i, lst in enumerate(self.listeners):
            if lst.forward_proxy and not proxy_section:
                raise ValueError(f"listeners[{i}].forward_proxy: needs an egress.forward_proxy section "
                                 "(who may use the proxy)")
        if proxy_section and not any(lst.forward_proxy for lst in self.listeners):
            raise ValueError("egress.forward_proxy: no listener says `forward_proxy: true`")
        return self
