"""What an operation sends and returns: request and response schemas, and their properties by direction.

In the request direction ``readOnly`` properties are skipped (a server ignores them); in the response
direction ``writeOnly`` ones are (a server never returns them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bastion.auditor.rules.rule import AuditContext
from bastion.openapi import OpenAPIDocument, Operation, Resolved, SchemaNode, iter_schema, media_schemas


def request_schemas(doc: OpenAPIDocument, op: Operation) -> Iterator[tuple[str, Resolved]]:
    if op.request_body is not None:
        yield from media_schemas(doc, op.request_body)


def is_success(code: str) -> bool:
    return code.startswith("2")


def response_schemas(doc: OpenAPIDocument, op: Operation,
                     codes: Callable[[str], bool] = is_success) -> Iterator[tuple[str, Resolved]]:
    """``(status code, schema)`` for each response whose code satisfies ``codes`` (2xx by default)."""
    for code, response in op.responses.items():
        if codes(code):
            for _media, schema in media_schemas(doc, response):
                yield code, schema


def is_error(code: str) -> bool:
    return code.startswith(("4", "5")) or code == "default"


def nodes(ctx: AuditContext, schema: Resolved, direction: str) -> list[SchemaNode]:
    """Every subschema of ``schema``, minus the properties that do not travel in ``direction`` (cached per
    run: several rules walk the same bodies)."""
    key = ("nodes", schema.where, direction)
    if key not in ctx.memo:
        assert ctx.doc is not None
        skip = "readOnly" if direction == "request" else "writeOnly"
        hidden: set[tuple[str, ...]] = set()
        kept = []
        for node in iter_schema(ctx.doc, schema.value, schema.where):
            path = node.path
            if hidden and any(path[:i] in hidden for i in range(1, len(path) + 1)):  # under a hidden property
                continue
            if path and node.schema.get(skip) is True:
                hidden.add(path)
                continue
            kept.append(node)
        ctx.memo[key] = kept
    return list(ctx.memo[key])


def dotted(path: tuple[str, ...]) -> str:
    return ".".join(path).replace(".[]", "[]") or "(body)"
