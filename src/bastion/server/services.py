"""Build the ports and shared resources the policies and the engine use, from the loaded config.

This is the wiring point for capabilities outside the core; each contributes through its factory:

    state        bastion.state.build_state                 (memory or Redis)
    auth         bastion.oauth.services.build_auth_services (verifiers, API keys, revocations, OAuth app)
    monitoring   bastion.observability.factory.build_monitoring (observer, block guard, admin app, audit trail)
    dataflow     bastion.dataflow.config.build_recorder    (Art. 30 inventory counters)
    egress       bastion.egress.wiring.wire_into            (secret store, partner routes, internal:egress)
                 bastion.egress.proxy_wiring.wire_forward_proxy (egress.forward_proxy: the forward proxy)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.config.load import LoadedConfig, parse_path
from bastion.errors import ConfigError, SecretError
from bastion.state import build_state

log = logging.getLogger("bastion.services")


@dataclass
class Services:
    mapping: dict[str, Any] = field(default_factory=dict)
    starters: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    stoppers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    started: bool = False

    async def start(self) -> None:
        for start in self.starters:
            await start()
        self.started = True

    async def stop(self, delay: float = 0.0) -> None:
        if delay:
            await asyncio.sleep(delay)
        for stop in reversed(self.stoppers):
            try:
                await stop()
            except Exception:
                log.exception("service failed to stop cleanly")

    def discard(self) -> None:
        """Drop services built for a configuration that failed to compile (nothing was started)."""


def _admin_token(loaded: LoadedConfig) -> str | None:
    admin = loaded.config.admin
    if admin is None or admin.token is None:
        return None
    from bastion.secrets.references import is_reference, resolve_reference

    if not is_reference(admin.token):
        raise ConfigError("admin.token", "must be a reference such as ${env:BASTION_ADMIN_TOKEN} or ${file:PATH}, "
                                         "never an inline secret")
    try:
        return resolve_reference(admin.token, base_dir=loaded.base_dir)
    except SecretError as exc:
        raise ConfigError("admin.token", str(exc)) from None


@dataclass
class Lifetime:
    """Services that live as long as the process, not one configuration: reused across reloads."""

    state: Any
    monitoring: Any


def build_services(loaded: LoadedConfig, clock: Clock = SYSTEM_CLOCK, lifetime: Lifetime | None = None,
                   chain_id: str | None = None, worker: int | None = None) -> Services:
    """Build everything a configuration needs. With ``lifetime``, its state backend and monitoring stack
    are reused (and neither started nor stopped by the returned Services). ``worker`` is this process's
    index under ``--workers N``: process-wide duties that would repeat per worker (the secret-rotation
    audit events) run in worker 0 only."""
    cfg = loaded.config
    services = Services()
    m = services.mapping
    if lifetime is not None:
        if lifetime.state.url != (cfg.state or "memory"):
            raise ConfigError("state", "changing the state backend needs a restart", file=str(loaded.file),
                              line=loaded.line_of(("state",)))
        state = lifetime.state
        m["state"] = state
    else:
        try:
            m["state"] = state = build_state(cfg.state)
        except ValueError as exc:
            raise ConfigError("state", str(exc), file=str(loaded.file), line=loaded.line_of(("state",))) from None
    m["apps"] = {}
    m["observers"] = []
    try:
        _wire_auth(loaded, services, state, clock)
        _wire_monitoring(loaded, services, state, clock, lifetime.monitoring if lifetime else None, chain_id)
        _wire_dataflow(loaded, services, clock)
        _wire_egress(loaded, services, clock, primary=not worker)
    except ConfigError as exc:
        line = loaded.line_of(parse_path(exc.path)) if exc.path else None
        raise ConfigError(exc.path, exc.msg, file=str(loaded.file), line=line) from None
    if state.redis is not None and lifetime is None:
        async def close_redis() -> None:
            await state.redis.aclose()

        services.stoppers.insert(0, close_redis)
    return services


def _wire_auth(loaded: LoadedConfig, services: Services, state: Any, clock: Clock) -> None:
    raw = loaded.raw
    if raw.get("issuers") is None and raw.get("oauth") is None:
        return
    from bastion.oauth.services import build_auth_services

    auth = build_auth_services(raw, state, clock, loaded.base_dir)
    services.mapping.update(auth)
    if auth.get("oauth_app") is not None:
        services.mapping["apps"]["oauth"] = auth["oauth_app"]
    services.stoppers.append(auth["auth_close"])  # type: ignore[arg-type]


def _wire_monitoring(loaded: LoadedConfig, services: Services, state: Any, clock: Clock, reuse: Any,
                     chain_id: str | None) -> None:
    from bastion.observability.factory import build_monitoring

    cfg = loaded.config
    token = _admin_token(loaded)
    client_certs = bool(cfg.admin and cfg.admin.tls and cfg.admin.tls.client_ca)
    if cfg.admin is not None:
        from bastion.admin.bind import check_admin_bind

        check_admin_bind(cfg.admin.address, token_configured=token is not None,
                         client_cert_required=client_certs and bool(cfg.admin.tls and cfg.admin.tls.client_auth ==
                                                                    "required"))
    if reuse is not None:
        _expose_monitoring(services, reuse)
        return
    mon = build_monitoring(settings=loaded.raw, admin_token=token, state=state, clock=clock,
                           base_dir=loaded.base_dir, chain_id=chain_id, admin_client_certs=client_certs)
    _expose_monitoring(services, mon)
    services.starters.append(mon.start)
    services.stoppers.append(mon.stop)


def _expose_monitoring(services: Services, mon: Any) -> None:
    m = services.mapping
    m["observers"].append(mon.observer)
    m["guard"] = mon.guard
    m["admin_app"] = mon.admin
    m["audit_trail"] = mon.trail
    m["monitoring"] = mon
    m["tracer"] = mon.tracer


def _wire_dataflow(loaded: LoadedConfig, services: Services, clock: Clock) -> None:
    from bastion.dataflow.config import build_recorder

    recorder = build_recorder(loaded.raw.get("dataflow"), loaded.base_dir, clock, threaded=True)
    if recorder is None:
        return
    services.mapping["dataflow"] = recorder

    async def flush() -> None:
        recorder.flush()
        close = getattr(recorder.store, "close", None)
        if close is not None:  # the worker thread writes what is queued before the process exits
            await asyncio.to_thread(close)

    services.stoppers.append(flush)


def _wire_egress(loaded: LoadedConfig, services: Services, clock: Clock, primary: bool = True) -> None:
    if loaded.raw.get("egress") is None and loaded.raw.get("secrets") is None:
        return
    from bastion.egress.proxy_wiring import wire_forward_proxy
    from bastion.egress.wiring import wire_into

    wire_into(loaded, services, clock, audit_rotation=primary)
    wire_forward_proxy(loaded, services, clock)
