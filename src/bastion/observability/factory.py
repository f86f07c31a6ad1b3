"""Build the whole monitoring stack from the ``audit:``, ``access_log:`` and ``anomaly:`` sections.

``build_monitoring(...)`` returns a ``Monitoring`` with:

* ``observer.observe(ex)`` — call after each response was sent (sync, cheap, never raises);
* ``guard.check(client_ip, identity)`` — await before routing and after authentication;
* ``admin`` — the admin API + dashboard ``webapp.App`` for the admin listener;
* ``trail`` — audit helpers for config reloads, admin actions and key/secret rotations;
* ``tracer`` — with a ``tracing:`` section, what the engine starts each request's spans with (else None);
* ``start()`` / ``stop()`` — the background writers (stop drains: call it on SIGTERM).
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bastion.admin.api import AdminApp, AdminContext
from bastion.admin.auth import AdminAuth
from bastion.anomaly.blocklist import Blocklist, MemoryBlocklist, RedisBlocklist
from bastion.anomaly.config import AnomalySection
from bastion.anomaly.engine import AnomalyEngine
from bastion.anomaly.guard import BlockGuard
from bastion.anomaly.responder import AlertResponder
from bastion.anomaly.webhook import WebhookSender, WebhookTarget
from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.errors import SecurityWarning
from bastion.observability.access_log import AccessLog
from bastion.observability.audit.signing import load_or_create_signer
from bastion.observability.audit.sink import open_sink
from bastion.observability.audit.writer import AuditLog
from bastion.observability.config import AccessLogSection, AuditSection, MetricsSection
from bastion.observability.metrics import GatewayMetrics
from bastion.observability.observer import Observer
from bastion.observability.state_files import create_once
from bastion.observability.stats import TrafficStats
from bastion.observability.trail import AuditTrail
from bastion.secrets.references import is_reference, resolve_reference
from bastion.state import StateBackend
from bastion.tracing.config import TracingSection, build_tracing
from bastion.tracing.exporter import OtlpExporter
from bastion.tracing.spans import Tracer


@dataclass
class Monitoring:
    observer: Observer
    guard: BlockGuard | None
    admin: AdminApp
    trail: AuditTrail
    metrics: GatewayMetrics
    stats: TrafficStats
    audit_log: AuditLog | None
    access_log: AccessLog | None
    anomaly: AnomalyEngine | None
    blocklist: Blocklist | None
    webhooks: WebhookSender | None
    tracer: Tracer | None = None
    span_exporter: OtlpExporter | None = None

    async def start(self) -> None:
        self.observer.start()
        if self.span_exporter is not None:
            self.span_exporter.start()
        if self.audit_log is not None:
            await self.audit_log.start()
        if self.access_log is not None:
            self.access_log.start()
        if self.webhooks is not None:
            await self.webhooks.start()

    async def stop(self) -> None:
        self.observer.stop()
        if self.webhooks is not None:
            await self.webhooks.stop()
        if self.audit_log is not None:
            await self.audit_log.stop()
        if self.access_log is not None:
            self.access_log.stop()
        if self.span_exporter is not None:
            await asyncio.to_thread(self.span_exporter.stop)


def _section(value: Any, model: type[BaseModel]) -> Any:
    if value is None:
        return model()
    return value if isinstance(value, model) else model.model_validate(value)


def _read_ref(value: str, base_dir: Path) -> bytes:
    if is_reference(value):
        return resolve_reference(value, base_dir=base_dir).encode()
    path = Path(value)
    return (path if path.is_absolute() else base_dir / path).read_bytes()


def _admin_token(token: str | None, state_dir: Path) -> str:
    """The configured token, or one generated into ``state_dir/admin-token`` (mode 0600) on loopback."""
    if token:
        return token
    path = state_dir / "admin-token"
    if path.exists():
        return path.read_text().strip()
    return create_once(path, (secrets.token_urlsafe(32) + "\n").encode()).decode().strip()


def _warn_plain_webhooks(urls: list[str]) -> None:
    from urllib.parse import urlsplit

    from bastion.admin.bind import is_loopback_host

    for url in urls:
        parts = urlsplit(url)
        if parts.scheme != "https" and not is_loopback_host(parts.hostname or ""):
            warnings.warn(f"anomaly.webhooks: {parts.hostname} gets alerts (identities, IPs) over plain HTTP",
                          SecurityWarning, stacklevel=3)


def build_monitoring(*, audit: Any = None, access_log: Any = None, anomaly: Any = None,
                     admin_token: str | None = None, state: StateBackend | None = None,
                     clock: Clock = SYSTEM_CLOCK, base_dir: Path | None = None, chain_id: str | None = None,
                     settings: Mapping[str, Any] | None = None, admin_client_certs: bool = False) -> Monitoring:
    """``audit``/``access_log``/``anomaly``: validated sections, raw dicts, or None (defaults). ``settings``
    may carry them instead (``deps.settings``), and ``metrics``. ``admin_token``: the resolved ``admin.token``.
    ``admin_client_certs``: the admin listener verifies client certificates (``admin.tls.client_ca``)."""
    settings = settings or {}
    base = base_dir or Path.cwd()
    audit_cfg: AuditSection = _section(audit if audit is not None else settings.get("audit"), AuditSection)
    access_cfg: AccessLogSection = _section(access_log if access_log is not None else settings.get("access_log"),
                                            AccessLogSection)
    anomaly_cfg: AnomalySection = _section(anomaly if anomaly is not None else settings.get("anomaly"),
                                           AnomalySection)
    metrics_cfg: MetricsSection = _section(settings.get("metrics"), MetricsSection)
    tracing_raw = settings.get("tracing")
    state_dir = Path(audit_cfg.state_dir)
    state_dir = state_dir if state_dir.is_absolute() else base / state_dir
    metrics, stats = GatewayMetrics(), TrafficStats()

    audit_log: AuditLog | None = None
    if audit_cfg.enabled:
        signer = load_or_create_signer(_read_ref(audit_cfg.key, base) if audit_cfg.key else None, state_dir)
        audit_log = AuditLog(open_sink(audit_cfg.sink, audit_cfg.table, base), signer,
                             chain_id or audit_cfg.chain_id or socket.gethostname(), clock=clock,
                             batch_size=audit_cfg.batch_size, flush_interval=audit_cfg.flush_interval,
                             max_pending=audit_cfg.max_pending)
        metrics.gauge_fn("bastion_audit_queue_depth", "Audit events waiting to be written", lambda: audit_log.depth)
        metrics.counter_fn("bastion_audit_dropped", "Audit events dropped (queue full)", lambda: audit_log.dropped)
        metrics.counter_fn("bastion_audit_write_errors", "Failed audit batch writes (retried)",
                           lambda: audit_log.write_errors)
    trail = AuditTrail(audit_log)

    access = None
    if access_cfg.enabled:
        out = access_cfg.output
        access = AccessLog(out if out == "stdout" or Path(out).is_absolute() else str(base / out),
                           max_bytes=access_cfg.max_bytes, backups=access_cfg.backups,
                           max_pending=access_cfg.max_pending, client_ip=access_cfg.client_ip)
        access_log_ = access
        metrics.counter_fn("bastion_access_log_dropped", "Access-log lines dropped (queue full)",
                           lambda: access_log_.dropped)

    engine: AnomalyEngine | None = None
    blocklist: Blocklist | None = None
    webhooks: WebhookSender | None = None
    guard: BlockGuard | None = None
    if anomaly_cfg.enabled:
        if anomaly_cfg.blocklist.enabled:
            if state is not None and state.redis is not None:
                blocklist = RedisBlocklist(state.redis, state.prefix, clock, anomaly_cfg.blocklist.cache_ttl)
            else:
                blocklist = MemoryBlocklist(clock)
            guard = BlockGuard(blocklist, trail, metrics, clock)
        if anomaly_cfg.webhooks:
            _warn_plain_webhooks([w.url for w in anomaly_cfg.webhooks])
            webhooks = WebhookSender([WebhookTarget(w.url, _read_ref(w.secret, base), w.timeout, w.retries)
                                      for w in anomaly_cfg.webhooks], clock=clock)
        d = anomaly_cfg.detectors
        block_seconds = {name: getattr(d, name).block_for for name in type(d).model_fields}
        engine = AnomalyEngine(anomaly_cfg, [AlertResponder(trail, metrics, blocklist, webhooks, block_seconds)])

    observer = Observer(metrics=metrics, stats=stats, trail=trail, access_log=access, anomaly=engine, clock=clock,
                        counting=metrics_cfg.enabled)
    ctx = AdminContext(metrics=metrics, stats=stats, trail=trail, anomaly=engine, blocklist=blocklist,
                       audit_log=audit_log, clock=clock, flush=observer.flush)
    admin = AdminApp(ctx, AdminAuth(_admin_token(admin_token, state_dir), clock=clock,
                                    client_certs=admin_client_certs))
    tracer, spans = _tracing(tracing_raw, base, metrics)
    return Monitoring(observer, guard, admin, trail, metrics, stats, audit_log, access, engine, blocklist, webhooks,
                      tracer, spans)


def _tracing(raw: Any, base: Path, metrics: GatewayMetrics) -> tuple[Tracer | None, OtlpExporter | None]:
    if raw is None:
        return None, None
    cfg: TracingSection = _section(raw, TracingSection)
    if not cfg.enabled:
        return None, None
    tracer, exporter = build_tracing(cfg, base)
    metrics.gauge_fn("bastion_tracing_queue_depth", "Spans waiting for export", lambda: exporter.depth)
    metrics.counter_fn("bastion_tracing_spans_exported", "Spans accepted by the collector", lambda: exporter.exported)
    metrics.counter_fn("bastion_tracing_spans_dropped", "Spans dropped (queue full)", lambda: exporter.dropped)
    metrics.counter_fn("bastion_tracing_spans_failed", "Spans whose export failed", lambda: exporter.failed)
    return tracer, exporter
