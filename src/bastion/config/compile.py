"""Compile a loaded configuration into the runtime: route table, per-route chains, upstream pools.

Everything the hot path needs is resolved here, once: the request path does no config lookups.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bastion.chain.policy import PolicyDeps
from bastion.chain.registry import build_policy
from bastion.chain.runner import CompiledChain
from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.config.load import LoadedConfig, error_at
from bastion.config.models import GatewayConfig, Limits, Route, Upstream
from bastion.errors import ConfigError
from bastion.proxy.upstream import PoolSettings, UpstreamPool
from bastion.routing.table import DEFAULT_METHODS, RouteSpec, RouteTable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass
class CompiledUpstream:
    name: str
    url: str
    authority: str
    """Host header value sent upstream (unless the route preserves the client's)."""
    base_path: str
    preserve_host: bool
    pool: UpstreamPool | None = None
    app: Any = None
    """An in-process ``webapp.App`` for ``internal:<name>`` upstreams."""
    serve_exchange: Any = None
    """The app's ``serve_exchange(ex) -> (status, headers, body)`` when it has one: the engine then hands
    it the exchange itself instead of an ``AppRequest`` (``proxy.internal``)."""
    total_timeout: float = 60.0


@dataclass
class CompiledRoute:
    id: str
    chain: CompiledChain
    upstream: CompiledUpstream | None
    public: bool
    strip_prefix: str | None
    max_body: int
    template: str
    openapi: str | None


@dataclass
class Runtime:
    config: GatewayConfig
    table: RouteTable[CompiledRoute]
    routes: list[CompiledRoute]
    upstreams: dict[str, CompiledUpstream]
    limits: Limits
    trusted_proxies: tuple[Network, ...]
    services: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def close(self) -> None:
        for up in self.upstreams.values():
            if up.pool is not None:
                up.pool.close()


def upstream_ssl_context(up: Upstream, base_dir: Any) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(base_dir / up.tls.ca) if up.tls.ca else None)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_alpn_protocols(["http/1.1"])
    if not up.tls.verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if up.tls.cert and up.tls.key:
        ctx.load_cert_chain(str(base_dir / up.tls.cert), str(base_dir / up.tls.key))
    return ctx


def _compile_upstream(name: str, up: Upstream, loaded: LoadedConfig, services: dict[str, Any],
                      notes: list[str]) -> CompiledUpstream:
    path = f"upstreams.{name}"
    if up.url.startswith("internal:"):
        app_name = up.url.split(":", 1)[1]
        apps = services.get("apps", {})
        if app_name not in apps:
            known = ", ".join(sorted(apps)) or "none"
            raise ConfigError(f"{path}.url", f"no internal app {app_name!r} (available: {known})")
        app = apps[app_name]
        return CompiledUpstream(name, up.url, "bastion.internal", "", up.preserve_host, app=app,
                                serve_exchange=getattr(app, "serve_exchange", None), total_timeout=up.timeouts.total)
    parts = urlsplit(up.url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    ctx = None
    if https:
        try:
            ctx = upstream_ssl_context(up, loaded.base_dir)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"{path}.tls", f"cannot load TLS files: {exc}") from None
        if not up.tls.verify:
            notes.append(f"{path}.tls.verify is off: the upstream's identity is not checked")
    else:
        notes.append(f"{path}: plain HTTP to the upstream ({parts.hostname}); traffic is not encrypted")
    host = parts.hostname or ""
    default_port = (https and port == 443) or (not https and port == 80)
    authority = (f"[{host}]" if ":" in host else host) + ("" if default_port else f":{port}")
    settings = PoolSettings(
        host=host, port=port, ssl=ctx, server_hostname=up.tls.server_name or host,
        connect_timeout=up.timeouts.connect, read_timeout=up.timeouts.read,
        max_connections=up.max_connections, max_idle=up.max_idle, idle_timeout=up.idle_timeout,
        retries=up.retries, breaker_failures=up.circuit_breaker.failures,
        breaker_cooldown=up.circuit_breaker.cooldown,
    )
    return CompiledUpstream(name, up.url, authority, parts.path.rstrip("/"), up.preserve_host,
                            pool=UpstreamPool(settings), total_timeout=up.timeouts.total)


def _compile_route(i: int, route: Route, loaded: LoadedConfig, upstreams: dict[str, CompiledUpstream],
                   services: dict[str, Any], clock: Clock, openapi: dict[str, Any],
                   notes: list[str]) -> CompiledRoute:
    deps = PolicyDeps(clock=clock, base_dir=loaded.base_dir, openapi=openapi, settings=loaded.raw,
                      services=services, route_id=route.id)
    policies = []
    for j, entry in enumerate(route.policies):
        (name, cfg), = entry.items()
        policies.append(build_policy(name, cfg, deps, f"routes[{i}].policies[{j}]"))
    chain = CompiledChain(policies)
    if not chain.authenticated and not route.public:
        raise ConfigError(
            f"routes[{i}]",
            f"route {route.id!r} has no authentication policy (jwt, introspection, api_key, mtls); "
            "add one, or say `public: true` to serve it without authentication",
        )
    if route.public:
        notes.append(f"routes[{i}] ({route.id}) is public: no authentication")
    for p in policies:
        if p.authenticates and p.mode.value == "report":
            notes.append(f"routes[{i}] ({route.id}): authentication policy {p.name} is in report mode")
    max_body = loaded.config.limits.max_body_bytes
    for p in policies:
        lim = getattr(p, "max_body_bytes", None)
        if isinstance(lim, int):
            max_body = min(max_body, lim)
    upstream = upstreams[route.upstream] if route.upstream else None
    return CompiledRoute(route.id, chain, upstream, route.public, route.strip_prefix, max_body,
                         route.match.path or route.match.prefix or "/", route.openapi)


def compile_runtime(loaded: LoadedConfig, services: dict[str, Any] | None = None,
                    clock: Clock = SYSTEM_CLOCK) -> Runtime:
    """Build the runtime or raise ConfigError with file, line and key path."""
    services = services if services is not None else {}
    cfg = loaded.config
    notes: list[str] = []
    try:
        openapi = _load_openapi(loaded)
        upstreams = {n: _compile_upstream(n, u, loaded, services, notes) for n, u in cfg.upstreams.items()}
        routes = [_compile_route(i, r, loaded, upstreams, services, clock, openapi, notes)
                  for i, r in enumerate(cfg.routes)]
    except ConfigError as exc:
        raise error_at(loaded, exc) from None
    for i, lst in enumerate(cfg.listeners):
        if lst.plaintext:
            notes.append(f"listeners[{i}] ({lst.address}) serves plain HTTP")
    notes.extend(services.get("notes", ()))  # capabilities' own warnings (e.g. egress CONNECT passthrough)
    specs = [
        RouteSpec(r.id, cr, path=r.match.path, prefix=r.match.prefix, methods=_methods(r, cr), host=r.match.host)
        for r, cr in zip(cfg.routes, routes, strict=True)
    ]
    try:
        table = RouteTable(specs)
    except ValueError as exc:
        raise ConfigError("routes", str(exc), file=str(loaded.file)) from None
    return Runtime(cfg, table, routes, upstreams, cfg.limits, tuple(cfg.trusted_proxies), services, notes)


def _methods(route: Route, compiled: CompiledRoute) -> frozenset[str]:
    if not route.match.methods:
        return DEFAULT_METHODS
    methods = frozenset(route.match.methods)
    if any(p.name == "cors" for p in compiled.chain.policies):
        methods |= {"OPTIONS"}  # preflights must reach the cors policy, which answers them itself
    return methods


def _load_openapi(loaded: LoadedConfig) -> dict[str, Any]:
    docs: dict[str, Any] = {}
    if not loaded.config.openapi:
        return docs
    from bastion.openapi import load_document

    for name, rel in loaded.config.openapi.items():
        try:
            docs[name] = load_document(loaded.base_dir / rel)
        except Exception as exc:
            raise ConfigError(f"openapi.{name}", f"cannot load OpenAPI document: {exc}") from None
    return docs
