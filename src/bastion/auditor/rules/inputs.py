"""Input constraints (API3/API4/API7:2023): sizes, open objects, URL inputs, uploads, and two hygiene checks."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.auditor.rules.bodies import dotted, nodes, request_schemas
from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.auditor.rules.shapes import (
    check_inputs,
    integer_without_format,
    is_binary,
    open_object,
    unbounded,
    unrestricted_string,
)
from bastion.auditor.rules.vocabulary import is_url_like
from bastion.findings.model import Severity
from bastion.openapi import SchemaNode, Where, types


@rule(RuleInfo(
    "input.unbounded", "Input without size limits", Severity.MEDIUM, "API4:2023", 770,
    "Strings without `maxLength`, arrays without `maxItems` and numbers without bounds let one request "
    "carry megabytes of text, millions of items or absurd quantities: CPU, memory and storage exhaustion, "
    "and business-logic abuse (negative amounts, 10^9 items).",
    "Give every string a `maxLength` (or `enum`/`format`), every array a `maxItems`, and every integer and "
    "number a `minimum` and `maximum`; bastion's `validate` policy then enforces them at the gateway."))
def unbounded_input(ctx: AuditContext) -> Iterator[Hit]:
    yield from check_inputs(ctx, unbounded, "Unbounded input")


@rule(RuleInfo(
    "input.additional-properties", "Request objects accept unknown properties", Severity.MEDIUM, "API3:2023", 915,
    "Objects that allow any additional property let clients send fields the schema never mentions; if "
    "the server binds them to its model this is mass assignment, and it defeats schema validation as a "
    "defence.",
    "Set `additionalProperties: false` (3.1: `unevaluatedProperties: false` with `allOf`), or give "
    "`additionalProperties` a schema plus `maxProperties`."))
def additional_properties(ctx: AuditContext) -> Iterator[Hit]:
    yield from check_inputs(ctx, open_object, "Open object")


def _url_field(node: SchemaNode) -> str | None:
    if node.name and is_url_like(node.name, node.schema) and not node.schema.get("enum"):
        return "URL supplied by the client"
    return None


@rule(RuleInfo(
    "input.url", "Client-supplied URL (SSRF)", Severity.MEDIUM, "API7:2023", 918,
    "The server is given a URL to fetch, call back or redirect to. Without an allow-list an attacker "
    "points it at internal services (`http://169.254.169.254/`, `http://localhost:6379/`) and uses the "
    "API as a proxy into the private network (server-side request forgery).",
    "Accept an identifier instead of a URL where possible; otherwise restrict the value with a `pattern` "
    "or `enum` of allowed hosts, resolve and check the address server-side, and send such requests "
    "through an egress proxy that blocks private ranges."))
def url_input(ctx: AuditContext) -> Iterator[Hit]:
    yield from check_inputs(ctx, lambda n: None if n.schema.get("pattern") else _url_field(n), "URL input")


UPLOAD_TYPES = ("multipart/", "application/octet-stream", "image/", "video/", "audio/", "application/pdf",
                "application/zip")


def _is_file(node: SchemaNode, media: str) -> bool:
    schema = node.schema
    if is_binary(schema):
        return True
    return not node.path and not media.startswith("multipart/") and not (types(schema) - {"string"})


@rule(RuleInfo(
    "input.upload-size", "File upload without a size limit", Severity.MEDIUM, "API4:2023", 400,
    "A file upload with no declared maximum invites multi-gigabyte bodies that fill disks, memory and "
    "bandwidth, and slow every other request (denial of service and storage cost).",
    "Declare `maxLength` on binary properties (bytes) or `x-max-size` on the media type, and set "
    "`limits.max_body_bytes` (globally or per route) at the gateway."))
def upload_size(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.doc is None:
        return
    seen: set[Where] = set()
    for op in ctx.operations:
        for media, schema in request_schemas(ctx.doc, op):
            if not media.startswith(UPLOAD_TYPES) or schema.where in seen:
                continue
            seen.add(schema.where)
            body = op.request_body.value if op.request_body else {}
            if isinstance(body, dict) and "x-max-size" in (body.get("content", {}).get(media) or {}):
                continue
            files = [dotted(n.path) for n in nodes(ctx, schema, "request")
                     if _is_file(n, media) and "maxLength" not in n.schema]
            if files:
                message = f"{op.label} accepts {media} uploads ({', '.join(files)}) without a size limit."
                yield Hit(schema.where, message, op)


@rule(RuleInfo(
    "input.string-unrestricted", "String input without format, pattern or enum", Severity.INFO, "API4:2023", 20,
    "Free-form strings accept anything within their length, including injection payloads; a `format`, "
    "`pattern` or `enum` documents what is valid and lets the gateway reject the rest.",
    "Add a `format`, `pattern` or `enum` where the value has a known shape.", hygiene=True))
def string_unrestricted(ctx: AuditContext) -> Iterator[Hit]:
    yield from check_inputs(ctx, unrestricted_string, "Unrestricted string")


@rule(RuleInfo(
    "input.integer-format", "Integer input without int32/int64 format", Severity.INFO, "API4:2023", 190,
    "Without a declared width, clients and servers may disagree about overflow.",
    "Add `format: int32` or `format: int64`.", hygiene=True))
def integer_format(ctx: AuditContext) -> Iterator[Hit]:
    yield from check_inputs(ctx, integer_without_format, "Integer without format")
