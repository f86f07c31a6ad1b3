"""Object property level authorization (API3:2023) and verbose errors (API8:2023): what bodies carry."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.auditor.rules.bodies import dotted, is_error, nodes, request_schemas, response_schemas
from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.auditor.rules.vocabulary import (
    ERROR_INTERNALS,
    GRANTS,
    SENSITIVE,
    SERVER_MANAGED,
    issues_tokens,
    norm,
    pii_category,
)
from bastion.findings.model import Severity
from bastion.openapi import Where


@rule(RuleInfo(
    "data.sensitive-response", "Sensitive data in a response", Severity.HIGH, "API3:2023", 213,
    "The response schema returns credentials, government ids, payment card data or dates of birth. Every "
    "client (and every log, cache and proxy on the way) receives them; a single over-broad endpoint is "
    "enough for mass data theft, and under GDPR it is data the client never needed.",
    "Remove the property from the response schema, return it masked (last 4 digits), or mark it "
    "`writeOnly: true`; at the gateway, add a `minimize` policy so undeclared fields never leave."))
def sensitive_response(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.doc is None:
        return
    seen: set[Where] = set()
    reported: set[Where] = set()  # a sensitive property shared by several responses is one finding
    for op in ctx.operations:
        hands_out_tokens = issues_tokens(op.path)
        for _code, schema in response_schemas(ctx.doc, op):
            if schema.where in seen:
                continue
            seen.add(schema.where)
            found = []
            for node in nodes(ctx, schema, "response"):
                category = pii_category(node.name, node.schema) if node.name else None
                if node.where in reported:
                    continue
                if category in SENSITIVE and not (hands_out_tokens and category == "credentials"):
                    reported.add(node.where)
                    found.append((node.where, f"`{dotted(node.path)}` ({category})"))
            if found:  # located at the first sensitive property's definition: the root cause
                yield Hit(found[0][0], f"{op.label} returns {', '.join(text for _w, text in found)}.", op)


def _server_managed(path: tuple[str, ...], shared_model: bool) -> bool:
    name = norm(path[-1])
    if "[]" in path[:-1] or (len(path) > 1 and name in {"id", "uuid"}):
        return False
    return name in SERVER_MANAGED or (shared_model and name in GRANTS)


@rule(RuleInfo(
    "data.mass-assignment", "Server-managed properties writable by clients", Severity.HIGH, "API3:2023", 915,
    "The request schema accepts properties the server should own (ids, roles, admin flags, balances, "
    "owners). Frameworks that bind request bodies to models will write them, so a client can make "
    "itself an admin, change an owner or top up a balance (mass assignment).",
    "Mark server-managed properties `readOnly: true`, or use a separate input schema without them, and "
    "set `additionalProperties: false` so the validator rejects them."))
def mass_assignment(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.doc is None:
        return
    seen: set[Where] = set()
    returned = {schema.where for op in ctx.operations for _code, schema in response_schemas(ctx.doc, op)}
    for op in ctx.operations:
        if op.method not in {"POST", "PUT", "PATCH"}:
            continue
        for _media, schema in request_schemas(ctx.doc, op):
            if schema.where in seen:
                continue
            seen.add(schema.where)
            found = [dotted(node.path) for node in nodes(ctx, schema, "request")
                     if node.name and _server_managed(node.path, schema.where in returned)]
            if found:
                names = ", ".join(f"`{f}`" for f in found)
                yield Hit(schema.where, f"{op.label} accepts server-managed properties {names} without readOnly.", op)


@rule(RuleInfo(
    "data.verbose-errors", "Error responses expose internals", Severity.MEDIUM, "API8:2023", 209,
    "Error schemas with stack traces, exception classes, SQL or host names tell an attacker which "
    "framework, database and code paths sit behind the API, and often leak data through the error text.",
    "Return RFC 9457 problem details (`type`, `title`, `status`, `detail`, `instance`) with no internals; "
    "log the stack trace server-side under the request id instead."))
def verbose_errors(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.doc is None:
        return
    seen: set[Where] = set()
    for op in ctx.operations:
        for _code, schema in response_schemas(ctx.doc, op, is_error):
            if schema.where in seen:
                continue
            seen.add(schema.where)
            found = [f"`{dotted(n.path)}`" for n in nodes(ctx, schema, "response")
                     if n.name and norm(n.name) in ERROR_INTERNALS]
            if found:
                yield Hit(schema.where, f"Error schema used by {op.label} exposes {', '.join(found)}.", op)
