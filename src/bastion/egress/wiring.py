"""Gateway wiring for the ``secrets:`` and ``egress:`` sections (one call from ``server/services.py``).

``wire_secrets_and_egress`` runs at config-compile time and does no I/O: it validates both sections,
builds the egress service and app (so routes can use ``internal:egress`` and the ``egress`` policy),
and returns start/stop hooks. ``start`` opens the secret store, loads client certificates whose keys
live there, and starts the rotation check (``secrets/monitor.py``): overdue / soon-due secrets go to the
audit trail at start and hourly, and to the ``bastion_secret_*`` gauges on the admin ``/metrics``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.egress.audit import AuditSink, log_sink
from bastion.egress.build import build_egress_sync, load_client_certificates
from bastion.egress.config import EgressSection
from bastion.egress.credential_source import CredentialSource
from bastion.egress.gateway import EgressApp
from bastion.egress.service import EgressService
from bastion.errors import ConfigError
from bastion.findings.model import Finding
from bastion.secrets import metrics as rotation_metrics
from bastion.secrets.config import SecretsSection, open_store
from bastion.secrets.monitor import RotationMonitor
from bastion.secrets.rotation import to_findings
from bastion.secrets.store import SecretStore


@dataclass
class SecretsEgressWiring:
    source: CredentialSource
    secrets: SecretsSection | None
    base_dir: Path
    clock: Clock
    service: EgressService | None = None
    app: EgressApp | None = None
    trail: Any = None
    store: SecretStore | None = None
    registry: CollectorRegistry | None = None
    """The gateway's Prometheus registry (``monitoring.metrics.registry``), for the rotation gauges."""
    monitor: RotationMonitor | None = None
    audit_rotation: bool = True
    """Write the rotation audit events (False in workers after the first: their metrics still report)."""

    async def start(self) -> None:
        if self.secrets is not None:
            self.store = await open_store(self.secrets, base_dir=self.base_dir, clock=self.clock)
            self.source.store = self.store
            self.monitor = RotationMonitor(self.store, self.clock, self.trail if self.audit_rotation else None,
                                           audit_every=self.secrets.rotation_check)
            await self.monitor.start()
            if self.registry is not None:
                rotation_metrics.attach(self.registry, self.monitor.samples)
        if self.service is not None:
            await load_client_certificates(self.service)

    async def stop(self) -> None:
        if self.monitor is not None:
            if self.registry is not None:
                rotation_metrics.detach(self.registry, self.monitor.samples)
            await self.monitor.stop()
            self.monitor = None
        if self.service is not None:
            await self.service.aclose()
        if self.store is not None:
            await self.store.backend.driver.close()
            self.store = None

    async def rotation_findings(self) -> list[Finding]:
        """Overdue and soon-due secrets as findings; needs ``start``. (``bastion audit --config`` reads
        the store itself, without the master key: ``secrets/status.py``.)"""
        if self.store is None:
            return []
        return to_findings(await self.store.rotation_status(), self.clock.now())

    async def rotation_metrics(self) -> list[tuple[str, dict[str, str], float]]:
        """The ``bastion_secret_*`` gauge samples by secret name, from the last rotation check."""
        return self.monitor.samples() if self.monitor is not None else []


def wire_secrets_and_egress(raw: dict[str, Any], base_dir: Path, clock: Clock = SYSTEM_CLOCK,
                            trail: Any = None, openapi: Mapping[str, Any] | None = None,
                            dataflow: Any = None, registry: CollectorRegistry | None = None,
                            audit_rotation: bool = True) -> SecretsEgressWiring | None:
    """``None`` when the configuration has neither section. ``trail`` is the ``AuditTrail`` (optional);
    ``audit_rotation`` False in every worker but the first (the rotation audit events are written once);
    ``registry`` the Prometheus registry the rotation gauges join;
    ``openapi`` the loaded documents by name (``deps.openapi``), else those partners name are loaded here;
    ``dataflow`` the ``FlowRecorder`` that counts PII categories sent to each partner."""
    if raw.get("secrets") is None and raw.get("egress") is None:
        return None
    secrets = SecretsSection.model_validate(raw["secrets"]) if raw.get("secrets") is not None else None
    egress = EgressSection.model_validate(raw["egress"]) if raw.get("egress") is not None else None
    if egress is not None and secrets is None and "${secret:" in str(raw["egress"]):
        raise ConfigError("egress", "uses ${secret:…} references but there is no secrets: section")
    ttl = egress.credential_cache if egress is not None else 5.0
    wiring = SecretsEgressWiring(CredentialSource(None, clock=clock, ttl=ttl, base_dir=base_dir), secrets,
                                 base_dir, clock, trail=trail, registry=registry, audit_rotation=audit_rotation)
    if egress is not None:
        sink: AuditSink = log_sink  # with the audit chain off, the egress.audit logger: never nowhere
        if trail is not None and getattr(trail, "log", None) is not None:
            async def to_trail(record: dict[str, Any]) -> None:
                trail.emit("egress.call", record)

            sink = to_trail
        docs = openapi if openapi is not None else _load_partner_documents(egress, raw, base_dir)
        wiring.service = build_egress_sync(egress, wiring.source, base_dir=base_dir, clock=clock, audit=sink,
                                           openapi=docs)
        wiring.service.dataflow = dataflow
        wiring.app = EgressApp(wiring.service)
    return wiring


def _load_partner_documents(egress: EgressSection, raw: dict[str, Any], base_dir: Path) -> dict[str, Any]:
    from bastion.openapi import OpenAPIError, load_document

    paths = raw.get("openapi") or {}
    docs: dict[str, Any] = {}
    for partner in egress.partners.values():
        name = partner.response.openapi
        if name is None or name in docs or name not in paths:
            continue
        try:
            docs[name] = load_document(base_dir / str(paths[name]))
        except (OSError, OpenAPIError) as exc:
            raise ConfigError(f"openapi.{name}", f"cannot load: {exc}") from None
    return docs


def wire_into(loaded: Any, services: Any, clock: Clock = SYSTEM_CLOCK, audit_rotation: bool = True) -> None:
    """The gateway hook: call from ``server/services.build_services`` after monitoring and data-flow.

    Adds ``services.mapping["egress"]`` (for the ``egress`` policy), ``["apps"]["egress"]`` (for
    ``url: internal:egress``) and ``["secrets_egress"]`` (rotation findings/metrics), plus start/stop hooks.
    """
    m = services.mapping
    monitoring = m.get("monitoring")
    registry = monitoring.metrics.registry if monitoring is not None else None
    wiring = wire_secrets_and_egress(loaded.raw, loaded.base_dir, clock, trail=m.get("audit_trail"),
                                     dataflow=m.get("dataflow"), registry=registry,
                                     audit_rotation=audit_rotation)
    if wiring is None:
        return
    m["secrets_egress"] = wiring
    if wiring.service is not None and wiring.app is not None:
        m["egress"] = wiring.service
        m.setdefault("apps", {})["egress"] = wiring.app
    services.starters.append(wiring.start)
    services.stoppers.append(wiring.stop)
