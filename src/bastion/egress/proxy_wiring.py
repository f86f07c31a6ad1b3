"""Gateway wiring for ``egress.forward_proxy`` (one call from ``server/services.py``, after ``wire_into``).

Builds the ``ForwardProxy`` (``services.mapping["forward_proxy"]``) that the handler of forward-proxy
listeners uses: the egress service, the identity policies of ``authenticate``, the partners that allow
CONNECT, the tunnel limits and an audit sink (the audit chain when it is on, else the egress audit
logger). Adds the security notes ``bastion config check`` prints (``mapping["notes"]``). No I/O.
"""

from __future__ import annotations

from typing import Any

from bastion.chain.policy import PolicyDeps
from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.egress.audit import AuditSink, log_sink
from bastion.egress.config import EgressSection
from bastion.egress.forward_proxy import ForwardProxy, passthrough_notes
from bastion.egress.proxy_auth import build_authenticator
from bastion.egress.service import EgressService
from bastion.errors import ConfigError


def wire_forward_proxy(loaded: Any, services: Any, clock: Clock = SYSTEM_CLOCK) -> None:
    raw = loaded.raw.get("egress")
    if not isinstance(raw, dict) or raw.get("forward_proxy") is None:
        return
    section = EgressSection.model_validate(raw)
    assert section.forward_proxy is not None
    m = services.mapping
    service = m.get("egress")
    if not isinstance(service, EgressService):
        raise ConfigError("egress.forward_proxy", "needs the egress service (egress.partners)")
    deps = PolicyDeps(clock=clock, base_dir=loaded.base_dir, settings=loaded.raw, services=m,
                      route_id="forward-proxy")
    authenticator = build_authenticator(section.forward_proxy.authenticate, deps, "egress.forward_proxy.authenticate")
    passthrough = sorted(name for name, p in section.partners.items() if p.connect == "passthrough")
    proxy = ForwardProxy(service, authenticator, frozenset(passthrough), section.forward_proxy.tunnel,
                         max_body=loaded.config.limits.max_body_bytes,
                         request_id_header=loaded.config.request_id_header, audit=_sink(m.get("audit_trail")),
                         guard=m.get("guard"), notes=passthrough_notes(passthrough))
    m["forward_proxy"] = proxy
    m.setdefault("notes", []).extend(proxy.notes)


def _sink(trail: Any) -> AuditSink:
    """The audit chain when it is on; else the ``bastion.egress.audit`` logger (never nowhere)."""
    if trail is None or getattr(trail, "log", None) is None:
        return log_sink

    async def to_trail(record: dict[str, Any]) -> None:
        trail.emit(record["event"], record)

    return to_trail
