"""Unit: the response guard — schema validation, undeclared-field stripping and payload inspection."""

from __future__ import annotations

import re
from typing import Any

import orjson
import pytest

from bastion.egress.errors import ResponseRejected
from bastion.egress.validation import (
    ResponseGuard,
    default_inspector,
    default_many_inspector,
    marker_inspector,
    one_by_one,
)

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
    },
    "$defs": {"item": {"type": "object", "properties": {"sku": {"type": "string"}}}},
}


def _guard(**kw: Any) -> ResponseGuard:
    return ResponseGuard("p", SCHEMA, inspector=marker_inspector, **kw)


def test_strips_undeclared_fields_at_every_depth() -> None:
    body = orjson.dumps({"id": "1", "secret": "x", "items": [{"sku": "a", "cost": 3}]})
    out, removed = _guard().check("application/json", body)
    assert orjson.loads(out) == {"id": "1", "items": [{"sku": "a"}]} and removed == 2


@pytest.mark.parametrize(
    ("content_type", "body", "reason"),
    [
        ("text/html", b"<html>", "not JSON"),
        ("application/json", b"{not json", "not valid JSON"),
        ("application/json", b'{"id": 5}', "fails its schema at /id"),
        ("application/json", b'{"id": "1", "items": [{"sku": "<script>x</script>"}]}', "xss payload"),
        ("application/json", b'{"id": "${jndi:ldap://x/a}"}', "jndi payload"),
        ("application/json", b'{"id": "1\' OR 1=1 --"}', "sqli payload"),
    ],
)
def test_rejects_unsafe_responses(content_type: str, body: bytes, reason: str) -> None:
    with pytest.raises(ResponseRejected, match=reason):
        _guard().check(content_type, body)


def test_injection_in_an_undeclared_field_is_stripped_not_rejected() -> None:
    out, removed = _guard().check("application/json", b'{"id": "1", "x": "<script>"}')
    assert orjson.loads(out) == {"id": "1"} and removed == 1


def test_structure_where_scalar_declared_is_rejected() -> None:
    with pytest.raises(ResponseRejected):
        _guard().check("application/json", b'{"id": {"nested": "object"}}')


def test_no_schema_fails_closed_unless_explicitly_allowed() -> None:
    with pytest.raises(ResponseRejected, match="no response schema"):
        ResponseGuard("p", None).check("application/json", b"{}")
    assert ResponseGuard("p", None, allow_unvalidated=True).check("text/plain", b"hi") == (b"hi", 0)


def test_inspection_can_be_disabled() -> None:
    guard = ResponseGuard("p", SCHEMA, inspect=False)
    assert guard.check("application/json", b'{"id": "<script>"}')[1] == 0


OPEN = {"type": "object", "additionalProperties": True}
"""Keeps every member, so keys and deep documents reach the inspection."""


@pytest.mark.parametrize(
    ("doc", "where"),
    [
        ({"id": "1", "items": [{"sku": "a"}, {"sku": "b", "n": {"deep": ["ok", "<script>x</script>"]}}]},
         "/items/1/n/deep/1"),
        ({"ok": 1, "<script>alert(1)</script>": "value"}, "/<script>alert(1)</script>"),
        ({"a": ["x", "y"], "b": "${jndi:ldap://x/a}"}, "/b"),
    ],
)
def test_the_first_payload_is_reported_with_its_field(doc: dict[str, Any], where: str) -> None:
    guard = ResponseGuard("p", OPEN)
    with pytest.raises(ResponseRejected, match=f"payload in response field {re.escape(where)}$"):
        guard.check("application/json", orjson.dumps(doc))



def test_declared_names_are_not_asked_again_but_payloads_are_located() -> None:
    guard = ResponseGuard("p", SCHEMA)
    assert {"id", "items", "sku"} <= guard.clean
    body = orjson.dumps({"id": "1", "items": [{"sku": "a"}, {"sku": "1' OR '1'='1"}]})
    with pytest.raises(ResponseRejected, match=r"sqli payload in response field /items/1/sku$"):
        guard.check("application/json", body)


def test_a_declared_name_that_is_itself_a_payload_is_still_refused() -> None:
    schema = {"type": "object", "properties": {"id": {"type": "string"}, "__proto__": {"type": "object"},
                                               "kind": {"enum": ["plain", "<script>x</script>"]}}}
    guard = ResponseGuard("p", schema)
    assert "__proto__" not in guard.clean and "<script>x</script>" not in guard.clean and "plain" in guard.clean
    with pytest.raises(ResponseRejected, match=r"proto payload in response field /__proto__$"):
        guard.check("application/json", b'{"id": "1", "__proto__": {}}')
    with pytest.raises(ResponseRejected, match=r"xss payload in response field /kind$"):
        guard.check("application/json", b'{"id": "1", "kind": "<script>x</script>"}')

def _nested(levels: int, leaf: Any) -> Any:
    doc: Any = leaf
    for _ in range(levels):
        doc = {"n": doc}
    return doc


def test_too_deep_response_is_refused_but_an_earlier_payload_is_named_first() -> None:
    guard = ResponseGuard("p", OPEN)
    with pytest.raises(ResponseRejected, match="nests deeper than 64"):
        guard.check("application/json", orjson.dumps({"a": "fine", "n": _nested(80, "x")}))
    with pytest.raises(ResponseRejected, match="xss payload in response field /a"):
        guard.check("application/json", orjson.dumps({"a": "<script>x</script>", "n": _nested(80, "x")}))
    assert guard.check("application/json", orjson.dumps(_nested(62, "x")))[1] == 0


BENIGN = ["Analytical Engine (kit)", "249.00", "EUR", "", "café crème", "100% cotton", "a\\b", "Tom & Jerry",
          "https://example.com/x", "O'Brien", "id", "name"]
PAYLOADS = ["<script>alert(1)</script>", "%3Cscript%3Ealert(1)%3C/script%3E", "1' OR '1'='1", "${jndi:ldap://x}",
            "{{7*7}}", "; cat /etc/passwd", "../../etc/passwd", "http://169.254.169.254/latest", "__proto__",
            "<svg onload=alert(1)>", "caf\u00e9<script>x</script>", "a\x00<script>"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_batched_inspection_answers_as_string_by_string(payload: str) -> None:
    """The engine over all strings at once names the same first string and class as one call per string."""
    batched, single = default_many_inspector(), one_by_one(default_inspector())
    for position in (0, 5, len(BENIGN)):
        values = [*BENIGN[:position], payload, *BENIGN[position:], payload.upper()]
        assert batched(values) == single(values)
    assert batched(BENIGN) == single(BENIGN)
