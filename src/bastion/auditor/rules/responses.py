"""Response hygiene (off by default): declared error responses."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.findings.model import Severity


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
