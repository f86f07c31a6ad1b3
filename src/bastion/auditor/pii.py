"""The PII inventory: which operations send and which return which categories of personal data.

Categories come from property names and formats (``rules/vocabulary.py``): credentials, government-id,
payment-card, date-of-birth, contact, name, address, location, network, health, demographic.
"""

from __future__ import annotations

from typing import Any

from bastion.auditor.rules.bodies import nodes, request_schemas, response_schemas
from bastion.auditor.rules.rule import AuditContext
from bastion.auditor.rules.vocabulary import pii_category
from bastion.openapi import Operation, Resolved


def _categories(ctx: AuditContext, schema: Resolved, direction: str) -> set[str]:
    assert ctx.doc is not None
    key = (schema.where, direction)
    if key not in ctx.memo:
        found = set()
        for node in nodes(ctx, schema, direction):
            category = pii_category(node.name, node.schema) if node.name else None
            if category:
                found.add(category)
        ctx.memo[key] = found
    return set(ctx.memo[key])


def operation_categories(ctx: AuditContext, op: Operation) -> tuple[set[str], set[str]]:
    """``(sent, returned)``: categories in the request (parameters and body) and in 2xx responses."""
    if ctx.doc is None:
        return set(), set()
    sent: set[str] = set()
    for param in op.parameters:
        schema = param.schema.value if param.schema and isinstance(param.schema.value, dict) else {}
        category = pii_category(param.name, schema)
        if category:
            sent.add(category)
    for _media, body in request_schemas(ctx.doc, op):
        sent |= _categories(ctx, body, "request")
    returned: set[str] = set()
    for _code, response in response_schemas(ctx.doc, op):
        returned |= _categories(ctx, response, "response")
    return sent, returned


def inventory(ctx: AuditContext) -> list[dict[str, Any]]:
    """One row per operation that sends or returns personal data."""
    rows = []
    for op in [*ctx.operations, *(ctx.doc.webhooks() if ctx.doc else [])]:
        sent, returned = operation_categories(ctx, op)
        if sent or returned:
            rows.append({"operation": op.label, "operation_id": op.operation_id, "pointer": op.pointer,
                         "sends": sorted(sent), "returns": sorted(returned)})
    return rows
