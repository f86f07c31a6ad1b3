"""The threat model: elements, trust boundaries and data flows derived from the spec (and config).

Elements are the clients, the bastion gateway, each upstream service and the third parties that
receive callbacks or webhooks. Each operation is a data flow client -> gateway -> upstream carrying the
personal-data categories the PII inventory finds in its request, and a flow back with the categories in
its responses. Callbacks and webhooks are flows from the upstream to a third party.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bastion.auditor.pii import operation_categories
from bastion.auditor.rules import AuditContext
from bastion.auditor.rules.routes import covering, routes


@dataclass(frozen=True, slots=True)
class Element:
    id: str
    name: str
    kind: str
    """``entity`` (outside our control), ``process`` or ``store``."""
    zone: str
    """Trust zone: ``internet``, ``edge``, ``internal`` or ``third-party``."""


@dataclass(slots=True)
class Flow:
    source: str
    target: str
    operations: list[str] = field(default_factory=list)
    categories: set[str] = field(default_factory=set)
    applied: list[frozenset[str]] = field(default_factory=list)
    """Per operation, the policy names its route applies (``public`` stands for a route marked public)."""

    @property
    def policies(self) -> dict[str, int]:
        """Policy name -> number of this flow's operations whose route applies it."""
        counts: dict[str, int] = {}
        for names in self.applied:
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        return counts


@dataclass(slots=True)
class SystemModel:
    title: str
    elements: list[Element]
    flows: list[Flow]
    boundaries: list[tuple[str, str, str]]
    """``(name, what is on one side, what is on the other)``."""
    operations: int
    settings: dict[str, Any]
    unrouted: list[str] = field(default_factory=list)
    """Operations no route covers (with a config): they do not flow through the gateway."""

    def element(self, element_id: str) -> Element:
        return next(e for e in self.elements if e.id == element_id)


BOUNDARIES = [
    ("Internet / gateway", "API clients on the internet (untrusted)", "bastion gateway (TLS, policies)"),
    ("Gateway / internal network", "bastion gateway", "upstream services (trust the gateway's checks)"),
    ("Internal network / third parties", "upstream services", "third-party callback and webhook receivers"),
]


def _upstream_of(route_upstream: str | None) -> str:
    return f"upstream:{route_upstream}" if route_upstream else "upstream:api"


def build(ctx: AuditContext) -> SystemModel:
    assert ctx.doc is not None
    info: dict[str, Any] = ctx.doc.data["info"] if isinstance(ctx.doc.data.get("info"), dict) else {}
    elements = [Element("client", "API clients", "entity", "internet"),
                Element("gateway", "bastion gateway", "process", "edge")]
    raw_routes: list[Any] = ctx.settings["routes"] if isinstance(ctx.settings.get("routes"), list) else []
    table = routes(ctx)
    flows: dict[tuple[str, str], Flow] = {}
    unrouted: list[str] = []

    def flow(source: str, target: str) -> Flow:
        return flows.setdefault((source, target), Flow(source, target))

    for op in ctx.operations:
        route = covering(ctx, op, table) if table else None
        if table and route is None:
            unrouted.append(op.label)  # the gateway answers 404: not a flow through it
            continue
        upstream_name = None
        if route is not None and isinstance(raw_routes[route.index], dict):
            upstream_name = raw_routes[route.index].get("upstream")
        upstream = _upstream_of(str(upstream_name) if upstream_name else None)
        sent, returned = operation_categories(ctx, op)
        legs = [(flow("client", "gateway"), sent), (flow("gateway", upstream), sent),
                (flow(upstream, "gateway"), returned), (flow("gateway", "client"), returned)]
        for item, categories in legs:
            item.operations.append(op.label)
            item.categories |= categories
            if route is not None:
                item.applied.append(frozenset({*route.policies, *(["public"] if route.public else [])}))
        if "callbacks" in op.spec:
            flow(upstream, "third-party").operations.append(f"callbacks of {op.label}")
    sources = sorted({f.target for f in flows.values() if f.target.startswith("upstream:")}) or ["upstream:api"]
    for hook in ctx.doc.webhooks():
        item = flow(sources[0], "third-party")
        item.operations.append(f"webhook {hook.path}")
        item.categories |= operation_categories(ctx, hook)[0]
    for key in sorted({t for f in flows.values() for t in (f.source, f.target) if t.startswith("upstream:")}):
        elements.append(Element(key, f"upstream {key.split(':', 1)[1]}", "process", "internal"))
    if any(f.target == "third-party" for f in flows.values()):
        elements.append(Element("third-party", "webhook receivers", "entity", "third-party"))
    return SystemModel(str(info.get("title", "API")), elements, list(flows.values()), BOUNDARIES,
                       len(ctx.operations), ctx.settings, unrouted)
