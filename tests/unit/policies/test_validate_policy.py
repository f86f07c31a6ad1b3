"""Unit: the validate policy against an OpenAPI 3.1 document with a cross-file $ref (no sockets)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from bastion.chain.exchange import Exchange
from bastion.chain.policy import PolicyDeps
from bastion.chain.registry import build_policy
from bastion.errors import ConfigError
from bastion.http.problem import Problem
from bastion.openapi import OpenAPIDocument, load_document
from bastion.policies.validate import ValidatePolicy
from bastion.testing.exchange import make_exchange

SPEC = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "validate" / "orders.yaml"
JSON = [("content-type", "application/json")]
RID = [("x-request-id", "5f0c6f8e-8a51-4f51-9d7b-1b8f1b1e2b4a")]
GOOD = {"items": [{"sku": "A-1", "qty": 2}], "total": {"amount": 12.5, "currency": "EUR"}, "note": None,
        "metadata": {"anything": ["goes", 1]}}


@pytest.fixture(scope="module")
def doc() -> OpenAPIDocument:
    return load_document(SPEC)


def make(doc: OpenAPIDocument, **raw: Any) -> ValidatePolicy:
    policy = build_policy("validate", {"openapi": "orders", **raw}, PolicyDeps(openapi={"orders": doc}),
                          "routes[0].policies[0]")
    assert isinstance(policy, ValidatePolicy)
    return policy


async def run(policy: ValidatePolicy, ex: Exchange) -> Problem | None:
    return await policy.on_request(ex)


def post(body: Any, headers: list[tuple[str, str]] = JSON, path: str = "/v1/orders") -> Exchange:
    raw = body if isinstance(body, bytes) else orjson.dumps(body)
    return make_exchange("POST", path, body=raw, headers=headers)


def errors(problem: Problem | None) -> list[tuple[str, str, str]]:
    assert problem is not None
    return [(e["in"], e["pointer"], e["detail"]) for e in problem.extensions["errors"]]


@pytest.mark.anyio
async def test_valid_requests_pass_and_name_the_operation(doc: OpenAPIDocument) -> None:
    policy = make(doc)
    ex = post(GOOD, [*JSON, ("cookie", "session=0badc0de; theme=dark")])
    assert await run(policy, ex) is None
    assert ex.notes["validate"] == "createOrder"
    ex = make_exchange("GET", "/v1/orders", query="limit=10&status=open&tag=a&tag=b", headers=RID)
    assert await run(policy, ex) is None
    assert await run(policy, make_exchange("HEAD", "/v1/orders/7")) is None


@pytest.mark.anyio
async def test_rejects_mass_assignment_of_undeclared_properties(doc: OpenAPIDocument) -> None:
    problem = await run(make(doc), post({**GOOD, "is_admin": True}))
    assert problem is not None and problem.status == 422
    assert errors(problem) == [("body", "/is_admin", "undeclared property")]


@pytest.mark.anyio
async def test_rejects_undeclared_properties_in_nested_objects(doc: OpenAPIDocument) -> None:
    body = {**GOOD, "items": [{"sku": "A-1", "qty": 1, "price": 0}]}
    assert errors(await run(make(doc), post(body))) == [("body", "/items/0/price", "undeclared property")]


@pytest.mark.anyio
async def test_rejects_read_only_properties_in_requests(doc: OpenAPIDocument) -> None:
    problem = await run(make(doc), post({**GOOD, "id": 1}))
    assert problem is not None and problem.status == 422
    assert [p for _, p, _ in errors(problem)] == ["/id"]


@pytest.mark.anyio
async def test_undeclared_properties_can_be_allowed(doc: OpenAPIDocument) -> None:
    assert await run(make(doc, reject_unknown_properties=False), post({**GOOD, "extra": 1})) is None


@pytest.mark.anyio
async def test_rejects_duplicate_json_keys(doc: OpenAPIDocument) -> None:
    raw = b'{"items":[{"sku":"A","qty":1}],"total":{"amount":1,"currency":"EUR"},"note":"a","note":"b"}'
    problem = await run(make(doc), post(raw))
    assert problem is not None and problem.status == 400
    assert errors(problem) == [("body", "", "duplicate key in a JSON object")]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"items":[{"sku":"A","qty":1}],"total":{"amount":1,"currency":"EUR"},"note":"a","note":"b"}',
        b'{"items":[{"sku":"A","qty":1,"qty":9}],"total":{"amount":1,"currency":"EUR"}}',
        b'{"items":[{"sku":"A\\\\","qty":1}],"total":{"amount":1,"currency":"EUR"},"total":{}}',
        b'{"items":[{"sku":"A\\":","qty":1}],"total":{"amount":1,"currency":"EUR","currency":"USD"}}',
        # an escaped colon inside a string must not hide a duplicate from the counting
        b'{"items":[{"sku":"A\\u003a","qty":1}],"total":{"amount":1,"currency":"EUR"},"note":"a","note":"b"}',
    ],
)
@pytest.mark.anyio
async def test_rejects_duplicate_keys_at_any_depth_and_around_escapes(doc: OpenAPIDocument, raw: bytes) -> None:
    assert errors(await run(make(doc), post(raw))) == [("body", "", "duplicate key in a JSON object")]


@pytest.mark.anyio
async def test_long_numbers_that_are_exact_or_not_integers_are_accepted(doc: OpenAPIDocument) -> None:
    body = b'{"items": [{"sku": "12345678901234567890", "qty": 9007199254740991}], '
    body += b'"total": {"amount": 0.12345678901234567, "currency": "EUR"}, '
    body += b'"metadata": {"x": 1.5e300, "y": 12345678901234567.5}}'
    assert await run(make(doc), post(body)) is None


@pytest.mark.anyio
async def test_colons_and_quotes_inside_strings_are_not_mistaken_for_keys(doc: OpenAPIDocument) -> None:
    raw = b'{"items":[{"sku":"a:b\\":\\\\:","qty":1}],"total":{"amount":1,"currency":"EUR"},"note":"x:\\"y\\":z"}'
    assert await run(make(doc), post(raw)) is None


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b'{"items": [', "body is not valid JSON"),
        (b"\xef\xbb\xbf" + orjson.dumps(GOOD), "body is not valid JSON"),  # BOM
        ('{"note": "x"}'.encode("utf-16"), "body is not valid JSON"),
        (b'{"total": {"amount": NaN, "currency": "EUR"}}', "body is not valid JSON"),
        (b'{"total": {"amount": 123456789012345678901, "currency": "EUR"}}',
         "integer too large to be read the same by every parser"),
        (b'{"items": [{"sku": "A", "qty": -9007199254740993}], "total": {"amount": 1, "currency": "EUR"}}',
         "integer too large to be read the same by every parser"),
        (b'{"items": [], "note": "a", "total": {}} trailing', "body is not valid JSON"),
        (b"[" * 70 + b"]" * 70, "JSON nesting deeper than 64"),
        # orjson reads 1,024 levels but writes 254: the re-serialisation for the duplicate-key check was an error
        (b'{"note":' + b"[" * 300 + b"]" * 300 + b"}", "JSON nesting deeper than 64"),
        (b"[" * 1000 + b"]" * 1000, "JSON nesting deeper than 64"),
    ],
)
@pytest.mark.anyio
async def test_rejects_non_canonical_json(doc: OpenAPIDocument, raw: bytes, detail: str) -> None:
    problem = await run(make(doc), post(raw))
    assert problem is not None and problem.status == 400
    assert errors(problem) == [("body", "", detail)]


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
     "json", ""],
)
@pytest.mark.anyio
async def test_content_type_is_enforced(doc: OpenAPIDocument, content_type: str) -> None:
    headers = [("content-type", content_type)] if content_type else []
    problem = await run(make(doc), post(GOOD, headers))
    assert problem is not None and problem.status == 415
    assert problem.detail == "Content-Type must be one of: application/json"


@pytest.mark.anyio
async def test_json_suffix_and_charset_utf8_are_accepted(doc: OpenAPIDocument) -> None:
    policy = make(doc)
    assert await run(policy, post(GOOD, [("content-type", "Application/JSON; charset=UTF-8")])) is None
    patch = make_exchange("PATCH", "/v1/orders/3", body=b'{"status": "cancelled"}',
                          headers=[("content-type", "application/merge-patch+json")])
    assert await run(policy, patch) is None


@pytest.mark.anyio
async def test_non_json_media_types_are_enforced_but_not_parsed(doc: OpenAPIDocument) -> None:
    policy = make(doc)
    ok = make_exchange("PUT", "/v1/uploads", body=b"\x00\xff", headers=[("content-type", "application/octet-stream")])
    assert await run(policy, ok) is None
    empty = make_exchange("PUT", "/v1/uploads", body=b"", headers=[("content-type", "application/octet-stream")])
    assert errors(await run(policy, empty)) == [("body", "", "missing")]


@pytest.mark.anyio
async def test_rejects_a_body_on_an_operation_that_takes_none(doc: OpenAPIDocument) -> None:
    ex = make_exchange("GET", "/v1/orders/1", body=b'{"x":1}', headers=JSON)
    problem = await run(make(doc), ex)
    assert problem is not None and problem.status == 400


@pytest.mark.anyio
async def test_body_errors_report_schema_limits(doc: OpenAPIDocument) -> None:
    body = {**GOOD, "items": [{"sku": "A-1", "qty": 0}], "total": {"amount": -1, "currency": "eur"}}
    got = sorted(errors(await run(make(doc), post(body))))
    assert got == [("body", "/items/0/qty", "must be >= 1"), ("body", "/total/amount", "must be >= 0"),
                   ("body", "/total/currency", "does not match the required pattern")]
    missing = {k: v for k, v in GOOD.items() if k != "total"}
    assert errors(await run(make(doc), post(missing))) == [("body", "", "missing required property 'total'")]


@pytest.mark.anyio
async def test_errors_never_echo_the_attackers_input(doc: OpenAPIDocument) -> None:
    xss = "<script>alert(1)</script>"
    body = {**GOOD, "note": 5, xss: 1, "items": [{"sku": "A", "qty": xss}], "total": {xss: xss}}
    problem = await run(make(doc), post(body))
    assert problem is not None
    text = problem.body().decode()
    assert "script" not in text and "alert" not in text
    assert ("body", "/~", "undeclared property") in errors(problem)
    query = make_exchange("GET", "/v1/orders", query=f"limit={xss}&status={xss}", headers=RID)
    text = (await run(make(doc), query) or pytest.fail("accepted")).body().decode()
    assert "script" not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("limit=500", [("query", "/limit", "must be <= 100")]),
        ("limit=ten", [("query", "/limit", "must be of type integer")]),
        ("status=deleted", [("query", "/status", "must be one of the allowed values")]),
        ("limit=1&limit=100", [("query", "/limit", "parameter given more than once")]),  # HTTP parameter pollution
        ("tag=short&tag=waytoolongtag", [("query", "/tag/1", "must be at most 10 characters")]),
    ],
)
@pytest.mark.anyio
async def test_query_parameters(doc: OpenAPIDocument, query: str, expected: list[tuple[str, str, str]]) -> None:
    problem = await run(make(doc), make_exchange("GET", "/v1/orders", query=query, headers=RID))
    assert problem is not None and problem.status == 400
    assert errors(problem) == expected


@pytest.mark.anyio
async def test_header_path_and_cookie_parameters(doc: OpenAPIDocument) -> None:
    policy = make(doc)
    assert errors(await run(policy, make_exchange("GET", "/v1/orders"))) == [
        ("header", "/x-request-id", "missing required header parameter")]
    assert errors(await run(policy, make_exchange("GET", "/v1/orders", headers=[("x-request-id", "1")]))) == [
        ("header", "/x-request-id", "has the wrong format")]
    assert errors(await run(policy, make_exchange("GET", "/v1/orders/0"))) == [("path", "/order_id", "must be >= 1")]
    bad_cookie = post(GOOD, [*JSON, ("cookie", "session=zzz")])
    assert errors(await run(policy, bad_cookie)) == [("cookie", "/session", "does not match the required pattern")]


@pytest.mark.anyio
async def test_unknown_query_parameters_can_be_refused(doc: OpenAPIDocument) -> None:
    ex = make_exchange("GET", "/v1/orders", query="limit=1&debug=true", headers=RID)
    assert await run(make(doc), ex) is None
    assert errors(await run(make(doc, reject_unknown_query=True), ex)) == [
        ("query", "/debug", "undeclared query parameter")]


@pytest.mark.parametrize(
    ("method", "path", "status", "allow"),
    [
        ("GET", "/v1/admin", 404, None),  # shadow endpoint
        ("GET", "/v1/orders/1/internal", 404, None),
        ("GET", "/orders", 404, None),  # outside the server's base path
        ("DELETE", "/v1/orders/1", 405, "GET, HEAD, PATCH"),
        ("PUT", "/v1/orders", 405, "GET, HEAD, POST"),
    ],
)
@pytest.mark.anyio
async def test_operations_not_in_the_document_are_refused(
    doc: OpenAPIDocument, method: str, path: str, status: int, allow: str | None
) -> None:
    problem = await run(make(doc), make_exchange(method, path))
    assert problem is not None and problem.status == status
    assert dict(problem.headers).get("allow") == allow


@pytest.mark.anyio
async def test_concrete_paths_win_over_templates(doc: OpenAPIDocument) -> None:
    ex = make_exchange("GET", "/v1/orders/mine")
    assert await run(make(doc), ex) is None and ex.notes["validate"] == "myOrders"


@pytest.mark.anyio
async def test_base_path_can_be_set(doc: OpenAPIDocument) -> None:
    assert await run(make(doc, base_path=""), make_exchange("GET", "/orders/3")) is None


@pytest.mark.anyio
async def test_forwarded_body_is_the_validated_bytes(doc: OpenAPIDocument) -> None:
    raw = orjson.dumps(GOOD)
    ex = post(raw)
    assert await run(make(doc), ex) is None
    assert ex.request_body is raw


def test_unknown_document_is_a_config_error(doc: OpenAPIDocument) -> None:
    with pytest.raises(ConfigError) as info:
        build_policy("validate", {"openapi": "nope"}, PolicyDeps(openapi={"orders": doc}), "routes[1].policies[0]")
    assert info.value.path == "routes[1].policies[0].validate.openapi"


@pytest.mark.anyio
async def test_openapi_30_nullable_and_exclusive_bounds() -> None:
    text = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                price: {type: number, minimum: 0, exclusiveMinimum: true}
                label: {type: string, nullable: true}
      responses: {"200": {description: ok}}
"""
    doc30 = OpenAPIDocument.from_sources("mem.yaml", {"mem.yaml": text})
    policy = make(doc30)
    assert await run(policy, post({"price": 1, "label": None}, path="/items")) is None
    assert errors(await run(policy, post({"price": 0}, path="/items"))) == [("body", "/price", "must be > 0")]
    assert errors(await run(policy, post({"role": "admin"}, path="/items"))) == [
        ("body", "/role", "undeclared property")]


@pytest.mark.anyio
async def test_rejects_lone_surrogate_escapes_but_accepts_pairs(doc: OpenAPIDocument) -> None:
    lone = b'{"items":[{"sku":"A","qty":1}],"total":{"amount":1,"currency":"EUR"},"note":"\\ud800x"}'
    assert errors(await run(make(doc), post(lone))) == [("body", "", "body is not valid JSON")]
    pair = lone.replace(b"\\ud800x", b"\\ud83d\\ude00")
    assert await run(make(doc), post(pair)) is None


@pytest.mark.anyio
async def test_an_unbuffered_body_fails_closed(doc: OpenAPIDocument) -> None:
    ex = make_exchange("POST", "/v1/orders", headers=[*JSON, ("content-length", "20")])
    ex.request_body = None
    with pytest.raises(RuntimeError):
        await run(make(doc), ex)


@pytest.mark.anyio
async def test_media_type_wildcards_and_optional_bodies() -> None:
    text = """
openapi: 3.1.0
info: {title: t, version: "1"}
servers: [{url: "https://{region}.example.com/api"}]
paths:
  /notes:
    post:
      requestBody:
        content:
          application/*: {schema: {type: object, properties: {text: {type: string}}}}
          text/plain: {}
      responses: {"200": {description: ok}}
"""
    policy = make(OpenAPIDocument.from_sources("mem.yaml", {"mem.yaml": text}))
    assert await run(policy, make_exchange("POST", "/notes")) is None  # optional body, none sent
    ok = make_exchange("POST", "/notes", body=b'{"text": "hi"}', headers=[("content-type", "application/vnd.x+json")])
    assert await run(policy, ok) is None
    bad = make_exchange("POST", "/notes", body=b'{"txt": "hi"}', headers=[("content-type", "application/json")])
    assert errors(await run(policy, bad)) == [("body", "/txt", "undeclared property")]
    plain = make_exchange("POST", "/notes", body=b"hello", headers=[("content-type", "text/plain; charset=latin-1")])
    assert await run(policy, plain) is None
    assert (await run(policy, make_exchange("POST", "/notes", body=b"x", headers=[("content-type", "image/png")]))
            or pytest.fail("accepted")).status == 415


def form(body: bytes) -> Exchange:
    return make_exchange("POST", "/v1/profile", body=body,
                         headers=[("content-type", "application/x-www-form-urlencoded")])


@pytest.mark.anyio
async def test_form_bodies_are_converted_and_validated(doc: OpenAPIDocument) -> None:
    policy = make(doc)
    assert await run(policy, form(b"name=O%27Brien&age=42&newsletter=true&interests=a&interests=b")) is None
    assert errors(await run(policy, form(b"name=x&age=old"))) == [("body", "/age", "must be of type integer")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"name=x&is_admin=1", ("body", "/is_admin", "undeclared property")),  # mass assignment through a form
        (b"name=x&role=admin", ("body", "/role", "property is not allowed in requests (read-only or forbidden)")),
        (b"name=x&name=y", ("body", "", "form field given more than once")),
        (b"name=%ff", ("body", "", "form body must be percent-encoded UTF-8")),
        ("name=é".encode(), ("body", "", "form body must be percent-encoded UTF-8")),
        (b"name", ("body", "", "malformed form body")),
    ],
)
@pytest.mark.anyio
async def test_form_attacks_are_refused(doc: OpenAPIDocument, raw: bytes, expected: tuple[str, str, str]) -> None:
    problem = await run(make(doc), form(raw))
    assert problem is not None and problem.status in (400, 422)
    assert errors(problem) == [expected]


def test_routes_validating_against_one_document_share_its_compiled_table(doc: OpenAPIDocument) -> None:
    """A big document compiles in a noticeable time (845 operations: 0.3 s); every route naming it shares one
    table, settings that change the table get their own, and a freshly loaded document (a reload) its own."""
    a, b = make(doc), make(doc, reject_unknown_query=True)
    assert a.table is b.table
    assert make(doc, reject_unknown_properties=False).table is not a.table
    assert make(doc, base_path="/other").table is not a.table
    fresh = load_document(SPEC)
    assert build_policy("validate", {"openapi": "orders"}, PolicyDeps(openapi={"orders": fresh}),
                        "routes[0].policies[0]").table is not a.table  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        # compact, so not its own re-serialisation only because of the duplicate: the counts still run
        (b'{"a":1,"a":2}', "duplicate key in a JSON object"),
        (b'{"a": 1, "b": {"c": 1, "c": 1}}', "duplicate key in a JSON object"),
        # digits kept apart in the body by a string's letters, joined once the letters are gone: only a hint
        (b'{"a":"12345678x12345678","b":12345678901234567}', "integer too large to be read the same by every parser"),
        (b'{"a":' + b'[{"b":' * 35 + b"1" + b"}]" * 35 + b"}", "JSON nesting deeper than 64"),
    ],
)
def test_strict_parse_refusals_on_the_one_pass_counts(raw: bytes, detail: str) -> None:
    from bastion.validation.body import BodyError, parse_json

    with pytest.raises(BodyError, match=detail):
        parse_json(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a":"12345678x12345678","b":"1234567890123456789012"}',  # 16 digits only once letters are deleted
        b'{"a":12345678,"b":[12345678,12345678]}',
        b'{"a": {"b": 1}, "c": {"b": 2}}',  # the same key in two objects is no duplicate
        orjson.dumps({"note": "x" * 1900, "items": [{"product_id": "p1", "quantity": 1}]}),  # compact: memcmp path
        b'{"a":"\\u00e9:","b":1}',  # an escape: the re-serialisation differs, the skeletons are counted
    ],
)
def test_strict_parse_accepts_what_only_looks_like_a_refusal(raw: bytes) -> None:
    from bastion.validation.body import parse_json

    assert parse_json(raw) == orjson.loads(raw)


@pytest.mark.anyio
async def test_parsed_document_is_shared_for_exactly_the_validated_bytes(doc: OpenAPIDocument) -> None:
    raw = orjson.dumps(GOOD)
    ex = post(raw)
    assert await run(make(doc), ex) is None
    assert ex.request_json is not None and ex.request_json[0] is ex.request_body and ex.request_json[1] == GOOD
    assert ex.request_body == raw  # forwarded as validated, byte for byte


@pytest.mark.parametrize(
    "raw",
    [
        orjson.dumps({"a": "12345678x" * 14_600}),  # 128 KiB of digit runs joined once letters go: the hint path
        orjson.dumps({"a": [{"b": 1, "c": "d"}] * 7_000}),  # many colons and brackets, shallow
        b"{" + b", ".join(b'"k%d": "\\u00e9:"' % i for i in range(8_000)) + b"}",  # escapes: the skeleton path
    ],
)
def test_strict_parse_stays_linear_on_128_kib(raw: bytes) -> None:
    import time

    from bastion.validation.body import BodyError, parse_json

    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        try:
            parse_json(raw)
        except BodyError:
            pass
        best = min(best, time.process_time() - started)
    assert best < 0.25, f"{best:.3f} s for {len(raw)} bytes"


@pytest.mark.anyio
async def test_operation_without_parameters_still_refuses_undeclared_query_when_asked(doc: OpenAPIDocument) -> None:
    ex = make_exchange("GET", "/v1/orders/mine", query="debug=true", headers=RID)
    assert await run(make(doc), ex) is None  # no parameter declared: nothing to check
    assert errors(await run(make(doc, reject_unknown_query=True), ex)) == [
        ("query", "/debug", "undeclared query parameter")]
