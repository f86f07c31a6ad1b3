"""The gateway config against the spec (API2/API3/API4/API8/API9:2023): coverage and per-route policies.

The config is read as plain data in DESIGN.md's shape (``routes: [{id, match, upstream, policies, public}]``),
so the auditor does not depend on the gateway's config models.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.findings.model import Severity
from bastion.openapi import Operation, Where

AUTH_POLICIES = frozenset({"jwt", "jwt_auth", "introspection", "api_key", "mtls", "bearer", "oauth", "hmac"})
VALIDATION_POLICIES = frozenset({"validate", "openapi_validation"})
MINIMIZE_POLICIES = frozenset({"minimize", "field_filter"})
_PARAM = re.compile(r"\{[^}/]*\}")


@dataclass(frozen=True, slots=True)
class Route:
    index: int
    id: str
    methods: frozenset[str] | None
    path: str | None
    prefix: str | None
    policies: frozenset[str]
    public: bool
    where: Where

    def covers(self, method: str, path: str) -> bool:
        if self.methods is not None and method not in self.methods:
            return False
        if self.path is not None:
            return _PARAM.sub("{}", self.path) == _PARAM.sub("{}", path)
        return self.prefix is not None and path.startswith(self.prefix)


def routes(ctx: AuditContext) -> list[Route]:
    raw = ctx.settings.get("routes")
    if ctx.config is None or not isinstance(raw, list):
        return []
    out = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        match: dict[str, Any] = item["match"] if isinstance(item.get("match"), dict) else {}
        methods = match.get("methods")
        names: set[str] = set()
        policies = item.get("policies")
        for policy in policies if isinstance(policies, list) else []:
            names.update(policy if isinstance(policy, dict) else [policy] if isinstance(policy, str) else [])
        out.append(Route(
            index, str(item.get("id", f"routes[{index}]")),
            frozenset(str(m).upper() for m in methods) if isinstance(methods, list) else None,
            match.get("path") if isinstance(match.get("path"), str) else None,
            match.get("prefix") if isinstance(match.get("prefix"), str) else None,
            frozenset(str(n) for n in names), item.get("public") is True,
            Where(ctx.config.name, f"/routes/{index}")))
    return out


def base_paths(ctx: AuditContext) -> list[str]:
    bases = {""}
    for server in ctx.doc.servers if ctx.doc else []:
        path = urlsplit(str(server.get("url", ""))).path.rstrip("/")
        if path and "{" not in path:
            bases.add(path)
    return sorted(bases)


def covering(ctx: AuditContext, op: Operation, table: list[Route]) -> Route | None:
    for base in base_paths(ctx):
        for route in table:
            if route.covers(op.method, base + op.path):
                return route
    return None


def _config_rule(id_: str, title: str, severity: Severity, owasp: str, cwe: int, risk: str, fix: str) -> RuleInfo:
    return RuleInfo(id_, title, severity, owasp, cwe, risk, fix, needs_config=True)


@rule(_config_rule(
    "config.shadow-route", "Route that no operation documents", Severity.MEDIUM, "API9:2023", 1059,
    "The gateway exposes a route the spec does not describe: a shadow API that reviewers, scanners and "
    "validators never see, often an old or debug endpoint.",
    "Document the route's operations in the spec (and validate against it), or remove the route."))
def shadow_route(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.doc is None:
        return
    ops = ctx.operations
    bases = base_paths(ctx)
    for route in routes(ctx):
        if not any(route.covers(op.method, base + op.path) for op in ops for base in bases):
            yield Hit(route.where, f"Route `{route.id}` matches no operation in the spec.")


@rule(_config_rule(
    "config.unrouted-operation", "Operation no route covers", Severity.LOW, "API9:2023", 1059,
    "The spec documents an operation the gateway does not route. Either the spec is stale (zombie "
    "documentation) or the operation is reached some other way, bypassing the gateway's controls.",
    "Add a route for the operation, or remove it from the spec."))
def unrouted_operation(ctx: AuditContext) -> Iterator[Hit]:
    table = routes(ctx)
    if ctx.config is None or not table:
        return
    for op in ctx.operations:
        if not op.webhook and covering(ctx, op, table) is None:
            yield Hit(op.where, f"{op.label} is documented but no gateway route covers it.", op)


@rule(_config_rule(
    "config.route-unauthenticated", "Route without authentication", Severity.HIGH, "API2:2023", 306,
    "The route has no authentication policy. If it is not marked `public: true` the gateway's intent is "
    "unclear; if it is public but the spec requires security for its operations, the gateway lets "
    "anonymous clients through to an upstream that may trust it.",
    "Add an authentication policy (`jwt`, `introspection`, `api_key` or `mtls`), or mark the route "
    "`public: true` only when every operation it covers is public in the spec."))
def route_unauthenticated(ctx: AuditContext) -> Iterator[Hit]:
    ops = ctx.operations
    for route in routes(ctx):
        if route.policies & AUTH_POLICIES:
            continue
        if not route.public:
            yield Hit(route.where, f"Route `{route.id}` has no authentication policy and is not marked public.")
            continue
        secured = [op.label for op in ops if op.security and all(op.security) and
                   any(route.covers(op.method, b + op.path) for b in base_paths(ctx))]
        if secured:
            yield Hit(route.where.child("public"), f"Route `{route.id}` is public but covers secured operations: "
                      f"{', '.join(secured[:5])}.")


def _missing_policy(ctx: AuditContext, names: frozenset[str], what: str) -> Iterator[Hit]:
    for route in routes(ctx):
        if not route.policies & names:
            yield Hit(route.where, f"Route `{route.id}` has no {what} policy.")


@rule(_config_rule(
    "config.route-no-rate-limit", "Route without rate limiting", Severity.MEDIUM, "API4:2023", 770,
    "Without a rate limit one client can exhaust the upstream, brute-force credentials or scrape data.",
    "Add `rate_limit` (per subject for authenticated routes, per IP for public ones)."))
def route_no_rate_limit(ctx: AuditContext) -> Iterator[Hit]:
    yield from _missing_policy(ctx, frozenset({"rate_limit"}), "rate_limit")


@rule(_config_rule(
    "config.route-no-validation", "Route without request validation", Severity.MEDIUM, "API8:2023", 20,
    "Unvalidated requests reach the upstream with any shape: unknown fields (mass assignment), oversized "
    "values and injection payloads the spec would have rejected.",
    "Add `validate: {openapi: <name>}` so requests are checked against the spec at the gateway."))
def route_no_validation(ctx: AuditContext) -> Iterator[Hit]:
    yield from _missing_policy(ctx, VALIDATION_POLICIES, "validate")


def route_pii(ctx: AuditContext, route: Route) -> Any:
    from bastion.auditor.pii import operation_categories

    found: set[str] = set()
    for op in ctx.operations:
        if any(route.covers(op.method, b + op.path) for b in base_paths(ctx)):
            found |= operation_categories(ctx, op)[1]
    return found


@rule(_config_rule(
    "config.route-no-minimization", "Personal data returned without minimization", Severity.LOW, "API3:2023", 213,
    "Operations behind this route return personal data, and the route has no `minimize` policy: any "
    "field the upstream adds later (or leaks by mistake) goes straight to clients.",
    "Add `minimize: {openapi: <name>}` so only fields declared in the spec leave, with PII masking rules."))
def route_no_minimization(ctx: AuditContext) -> Iterator[Hit]:
    for route in routes(ctx):
        if not route.policies & MINIMIZE_POLICIES:
            categories = route_pii(ctx, route)
            if categories:
                yield Hit(route.where, f"Route `{route.id}` returns {', '.join(sorted(categories))} data "
                          "with no minimize policy.")
