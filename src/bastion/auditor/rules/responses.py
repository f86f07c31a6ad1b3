"""Response and inventory hygiene (off by default): declared error responses, CORS, server audience."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.findings.model import Severity
from bastion.openapi import Where


def _has(codes: set[str], code: str) -> bool:
    return code in codes or f"{code[0]}XX" in codes or "default" in codes


@rule(RuleInfo(
    "responses.missing-errors", "Error responses not declared", Severity.INFO, "API8:2023", 754,
    "Undeclared error responses leave clients without a contract for failures and reviewers without a "
    "view of how authentication, validation and limits fail.",
    "Declare 400/422 for operations with input, 401/403 for secured operations, 429 and 500, "
    "sharing them via `components.responses`.", hygiene=True))
def missing_errors(ctx: AuditContext) -> Iterator[Hit]:
    for op in ctx.operations:
        if op.webhook:
            continue
        codes = set(op.responses)
        wanted = ["429", "500"]
        if op.security:
            wanted[:0] = ["401", "403"]
        if op.parameters or op.request_body:
            wanted.insert(0, "400")
        missing = [c for c in wanted if not _has(codes, c) and not (c == "400" and "422" in codes)]
        if missing:
            yield Hit(op.where.child("responses"), f"{op.label} does not declare {', '.join(missing)}.", op)


@rule(RuleInfo(
    "responses.cors-undeclared", "CORS policy not declared", Severity.INFO, "API8:2023", 942,
    "Without a declared `Access-Control-Allow-Origin`, reviewers cannot tell which browser origins may "
    "read responses, and permissive CORS gets configured ad hoc.",
    "Declare `Access-Control-Allow-Origin` on successful responses (a shared `components.headers` entry).",
    hygiene=True))
def cors_undeclared(ctx: AuditContext) -> Iterator[Hit]:
    missing = []
    for op in ctx.operations:
        for code, response in op.responses.items():
            headers = response.value.get("headers") if isinstance(response.value, dict) else None
            names = {str(h).lower() for h in headers} if isinstance(headers, dict) else set()
            if code.startswith("2") and "access-control-allow-origin" not in names:
                missing.append(op.label)
                break
    if ctx.doc is not None and missing:
        yield Hit(Where(ctx.doc.root, "/paths"), f"{len(missing)} operation(s) declare no Access-Control-Allow-Origin "
                  f"on their successful responses, e.g. {', '.join(missing[:3])}.")


@rule(RuleInfo(
    "inventory.server-audience", "Server audience not declared", Severity.INFO, "API9:2023", 1059,
    "Without `x-internal: true|false` on each server, nobody can tell from the spec which entry points are "
    "meant for the public, and internal ones end up published.",
    "Add `x-internal: false` to public servers and `x-internal: true` to internal ones.", hygiene=True))
def server_audience(ctx: AuditContext) -> Iterator[Hit]:
    for index, server in enumerate(ctx.doc.servers if ctx.doc else []):
        if "x-internal" not in server and ctx.doc is not None:
            yield Hit(Where(ctx.doc.root, f"/servers/{index}"), f"Server `{server.get('url')}` has no x-internal flag.")
