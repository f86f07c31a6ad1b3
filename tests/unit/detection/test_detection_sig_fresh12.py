"""Unit: XSS, XXE, CRLF and traversal shapes of the fresh12 misses (CRS v4 regression inputs): JavaScript with no
markup split by block comments or with its object in parentheses, script bindings in CSS, an external entity declared
without its ``<``, a schema fetched from a foreign or internal place, an HTTP request line after a line break, and
overlong UTF-8 in a query string that the query parser would have replaced by U+FFFD. Each attack has the shape of a
corpus case with other values; the benign values have the same look."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine
from bastion.detection.fields import body_fields, request_fields
from bastion.http.headers import Headers
from bastion.http.messages import RequestHead

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-note")
DOC = Context("document")

XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'

ATTACKS: dict[str, tuple[str, Context, str]] = {
}


@pytest.mark.parametrize(("name", "value", "ctx", "attack"), [(k, *v) for k, v in ATTACKS.items()],
                         ids=ATTACKS.keys())
def test_fresh12_shape_is_blocked(engine: Engine, name: str, value: str, ctx: Context, attack: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == attack


BENIGN: dict[str, tuple[str, Context]] = {
}


@pytest.mark.parametrize(("name", "value", "ctx"), [(k, *v) for k, v in BENIGN.items()], ids=BENIGN.keys())
def test_same_shape_benign_passes(engine: Engine, name: str, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value


def _head(query: str) -> RequestHead:
    return RequestHead(method="GET", path="/files", raw_path="/files", query_string=query, headers=Headers())


def _first(engine: Engine, fields: list[tuple[str, str, Context]]) -> str | None:
    hit = engine.first(fields)
    return None if hit is None else hit[1].rule.attack


def test_overlong_dots_in_the_query_are_read_as_sent(engine: Engine) -> None:
    """``parse_qsl`` turns ``%c0%ae`` into U+FFFD; the value as sent is inspected too, where it reads "../"."""
    fields = list(request_fields(_head("page=2&file=%c0%ae%c0%ae%c0%afboot.ini"), frozenset()))
    assert ("/query/file", "%c0%ae%c0%ae%c0%afboot.ini", Context("query", "file")) in fields
    assert _first(engine, fields) == "traversal"


def test_overlong_slash_in_a_form_body_is_read_as_sent(engine: Engine) -> None:
    fields = list(body_fields(b"a=1&path=%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afshadow",
                              "application/x-www-form-urlencoded"))
    assert _first(engine, fields) == "traversal"


@pytest.mark.parametrize("query", [
    "q=caf%C3%A9&lang=fr",            # valid UTF-8: no raw form added
    "name=%E6%97%A5%E6%9C%AC",        # Japanese
    "q=%ff%fe%fd&x=1",                # bytes that are no UTF-8 and spell nothing
    "title=Na%EFve+caf%E9",          # Latin-1 from an old client
])
def test_query_text_and_stray_bytes_pass(engine: Engine, query: str) -> None:
    assert _first(engine, list(request_fields(_head(query), frozenset()))) is None
