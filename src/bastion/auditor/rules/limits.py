"""Resource consumption and business flows (API4/API6:2023): rate limits, 429s, pagination."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bastion.auditor.rules.bodies import response_schemas
from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.auditor.rules.vocabulary import PAGE_SIZE_PARAMS, SENSITIVE_FLOW_SEGMENTS, norm, segments
from bastion.findings.model import Severity
from bastion.openapi import Operation, Where, types

RATE_HEADERS = ("retry-after", "ratelimit", "ratelimit-policy", "ratelimit-limit", "ratelimit-remaining",
                "ratelimit-reset", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
                "x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset")


def declares_429(op: Operation) -> bool:
    return "429" in op.responses or "4XX" in op.responses or op.spec.get("x-rate-limit") is not None


@rule(RuleInfo(
    "ratelimit.undeclared", "No rate limiting declared", Severity.MEDIUM, "API4:2023", 770,
    "No operation documents a 429 response, so nothing tells clients (or reviewers) that requests are "
    "limited. Unlimited APIs are open to brute force, scraping and resource exhaustion, and clients "
    "have no contract for backing off.",
    "Rate-limit every route at the gateway (bastion's `rate_limit` policy) and declare `429` with "
    "`Retry-After` and `RateLimit` headers, ideally as a shared `components.responses.TooManyRequests`."))
def undeclared(ctx: AuditContext) -> Iterator[Hit]:
    ops = [op for op in ctx.operations if not op.webhook]
    if ctx.doc is not None and ops and not any(declares_429(op) for op in ops):
        yield Hit(Where(ctx.doc.root, "/paths"), f"None of the {len(ops)} operations declares a 429 response.")


@rule(RuleInfo(
    "ratelimit.missing-headers", "429 response without Retry-After or RateLimit headers", Severity.LOW,
    "API4:2023", 770,
    "A 429 without `Retry-After` (or the IETF `RateLimit` headers) leaves clients guessing when to retry; "
    "well-behaved clients hammer the API in tight loops, which is what the limit was meant to prevent.",
    "Declare `Retry-After` (and `RateLimit`/`RateLimit-Policy`) headers on the 429 response."))
def missing_headers(ctx: AuditContext) -> Iterator[Hit]:
    seen: set[Where] = set()
    for op in ctx.operations:
        response = op.responses.get("429")
        if response is None or response.where in seen:
            continue
        seen.add(response.where)
        headers = response.value.get("headers") if isinstance(response.value, dict) else None
        names = {str(h).lower() for h in headers} if isinstance(headers, dict) else set()
        if not names & set(RATE_HEADERS):
            message = f"The 429 response of {op.label} declares no Retry-After or RateLimit header."
            yield Hit(response.where, message, op)


def is_sensitive_flow(op: Operation) -> bool:
    return op.method in {"POST", "PUT", "PATCH"} and bool(set(segments(op.path)) & SENSITIVE_FLOW_SEGMENTS)


@rule(RuleInfo(
    "ratelimit.sensitive-flow", "Sensitive business flow without a declared limit", Severity.MEDIUM,
    "API6:2023", 799,
    "Login, sign-up, password reset, one-time codes, checkout and transfers are what bots automate: "
    "credential stuffing, account creation, scalping and card testing. Without a per-client limit the "
    "flow can be driven at machine speed.",
    "Declare a 429 response on the operation and apply a strict `rate_limit` (per IP and per subject) at "
    "the gateway; consider CAPTCHAs or device checks for the highest-value flows."))
def sensitive_flow(ctx: AuditContext) -> Iterator[Hit]:
    for op in ctx.operations:
        if not op.webhook and is_sensitive_flow(op) and not declares_429(op):
            yield Hit(op.where, f"{op.label} is a sensitive business flow with no declared rate limit (429).", op)


def _returns_list(ctx: AuditContext, op: Operation) -> bool:
    assert ctx.doc is not None
    for _code, schema in response_schemas(ctx.doc, op):
        value = schema.value if isinstance(schema.value, dict) else {}
        if "array" in types(value):
            return True
        props: dict[str, Any] = value["properties"] if isinstance(value.get("properties"), dict) else {}
        for prop in props.values():
            resolved, _ = ctx.doc.resolve(prop, schema.where)
            if isinstance(resolved, dict) and "array" in types(resolved):
                return True
    return False


@rule(RuleInfo(
    "ratelimit.unbounded-pagination", "Collection without a bounded page size", Severity.MEDIUM, "API4:2023", 770,
    "A list operation whose page size has no maximum (or that has no page size at all) lets one request "
    "ask for the whole table: slow queries, huge responses and an easy way to scrape every record.",
    "Add a `limit` (or `page_size`) query parameter with `maximum` (e.g. 100) and a default, and return a "
    "cursor for the next page."))
def unbounded_pagination(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.doc is None:
        return
    for op in ctx.operations:
        if op.method != "GET" or op.webhook:
            continue
        sizes = [p for p in op.params("query") if norm(p.name) in PAGE_SIZE_PARAMS]
        for param in sizes:
            schema = param.schema.value if param.schema and isinstance(param.schema.value, dict) else {}
            if "maximum" not in schema and "enum" not in schema:
                yield Hit(param.where, f"{op.label}: page size `{param.name}` has no maximum.", op)
        if not sizes and not op.params("path") and _returns_list(ctx, op):
            yield Hit(op.where, f"{op.label} returns a collection with no page-size parameter.", op)
