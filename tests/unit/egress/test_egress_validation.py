"""Unit: the response guard — schema validation, undeclared-field stripping and payload inspection."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from bastion.egress.errors import ResponseRejected
from bastion.egress.validation import ResponseGuard, marker_inspector

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
