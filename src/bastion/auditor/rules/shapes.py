"""Per-schema shape checks shared by the input rules: which nodes lack bounds, formats or restrictions.

Each input rule applies one predicate to every request schema (once per shared schema) and to every
operation's parameters, and reports one hit per schema or per operation listing the offending fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from bastion.auditor.rules.bodies import dotted, nodes, request_schemas
from bastion.auditor.rules.rule import AuditContext, Hit
from bastion.auditor.rules.vocabulary import PAGE_SIZE_PARAMS, norm
from bastion.openapi import Operation, Resolved, SchemaNode, Where, types

Predicate = Callable[[SchemaNode], str | None]
"""Returns what is wrong with a node ("string without maxLength"), or None."""

BOUNDED_FORMATS = frozenset({"date", "date-time", "time", "uuid", "ipv4", "ipv6", "int32", "int64", "byte"})


def is_binary(schema: dict[str, Any]) -> bool:
    """File content: ``format: binary/byte`` (3.0) or ``contentMediaType``/``contentEncoding`` (3.1)."""
    return str(schema.get("format")) in {"binary", "base64", "byte"} or "contentMediaType" in schema \
        or "contentEncoding" in schema


def _limited(schema: dict[str, Any]) -> bool:
    return "enum" in schema or "const" in schema


def unbounded(node: SchemaNode) -> str | None:
    schema, kinds = node.schema, types(node.schema)
    if _limited(schema) or (len(node.path) == 1 and norm(node.path[0]) in PAGE_SIZE_PARAMS):
        return None  # page sizes are ratelimit.unbounded-pagination's
    if "string" in kinds and "maxLength" not in schema and str(schema.get("format")) not in BOUNDED_FORMATS \
            and not is_binary(schema):
        return "string without maxLength"
    if "array" in kinds and "maxItems" not in schema:
        return "array without maxItems"
    if kinds & {"integer", "number"}:
        has_max = "maximum" in schema or isinstance(schema.get("exclusiveMaximum"), int | float)
        has_min = "minimum" in schema or isinstance(schema.get("exclusiveMinimum"), int | float)
        if not (has_max and has_min):
            return f"{'integer' if 'integer' in kinds else 'number'} without minimum and maximum"
    return None


def open_object(node: SchemaNode) -> str | None:
    schema = node.schema
    if "object" not in types(schema) and "properties" not in schema:
        return None
    if schema.get("unevaluatedProperties") is False or schema.get("additionalProperties") is False:
        return None
    extra = schema.get("additionalProperties", True)
    if isinstance(extra, dict) and "maxProperties" in schema:
        return None
    return "object accepts any additional properties" if extra is True else "additionalProperties without maxProperties"


def unrestricted_string(node: SchemaNode) -> str | None:
    schema = node.schema
    if "string" in types(schema) and not ({"format", "pattern", "enum", "const"} & schema.keys()) \
            and not is_binary(schema):
        return "string without format, pattern or enum"
    return None


def integer_without_format(node: SchemaNode) -> str | None:
    if types(node.schema) == {"integer"} and str(node.schema.get("format")) not in {"int32", "int64"}:
        return "integer without format int32/int64"
    return None


def _param_nodes(ctx: AuditContext, op: Operation, seen: set[Where]) -> Iterator[tuple[Where, SchemaNode]]:
    assert ctx.doc is not None
    for param in op.parameters:
        if param.schema is None or param.where in seen:
            continue
        seen.add(param.where)
        for node in nodes(ctx, param.schema, "request"):
            yield param.where, SchemaNode(node.schema, node.where, (param.name, *node.path), True)


def check_inputs(ctx: AuditContext, predicate: Predicate, what: str,
                 schemas: Callable[[AuditContext, Operation], Iterator[Resolved]] | None = None) -> Iterator[Hit]:
    """One hit per request schema and one per operation's parameters whose nodes fail ``predicate``."""
    if ctx.doc is None:
        return
    seen: set[Where] = set()
    reported: set[Where] = set()  # a shared sub-schema is reported once, under the first body using it
    for op in ctx.operations:
        roots = schemas(ctx, op) if schemas else (s for _m, s in request_schemas(ctx.doc, op))
        for schema in roots:
            if schema.where in seen:
                continue
            seen.add(schema.where)
            bad = [(n, p) for n in nodes(ctx, schema, "request")
                   if n.where not in reported and (p := predicate(n))]
            reported.update(n.where for n, _ in bad)
            if bad:
                listed = "; ".join(f"`{dotted(n.path)}` ({p})" for n, p in bad[:8])
                more = f" and {len(bad) - 8} more" if len(bad) > 8 else ""
                yield Hit(schema.where, f"{what} in the request body of {op.label}: {listed}{more}.", op,
                          extra={"fields": [dotted(n.path) for n, _ in bad]})
        if schemas is None:
            params = [(w, n, p) for w, n in _param_nodes(ctx, op, seen) if (p := predicate(n))]
            if params:
                listed = "; ".join(f"`{dotted(n.path)}` ({p})" for _w, n, p in params)
                yield Hit(params[0][0], f"{what} in the parameters of {op.label}: {listed}.", op)
