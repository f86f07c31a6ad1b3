"""Unit: SQL injection, XSS and CRLF shapes of the fresh16 first contact. A stacked query or a logic operator after a
backtick-quoted name the value closes; ``AND CASE WHEN … THEN`` after a breakout; a stacked statement that only waits
(SQLite's ``RANDOMBLOB``); Firebird's ``RDB$``/``MON$`` system tables; an event handler with ``+`` for the blanks
around its ``=``; a made-up ``on`` handler judged by whether its value calls a sink. A markdown fence gives header
injection no pass, even around a quoted HTTP exchange in a body field: an attacker can add the fences, and a mailer
or a header the field is copied into splits on the line breaks all the same.
Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.signatures import crlf
from bastion.detection.sqli import is_sqli
from bastion.detection.xss import is_xss

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-note")
ENGINE = Engine()

ATTACKS: dict[str, str] = {
    "backtick_where_then_stacked_case": "77` WHERE 9=9;SELECT (CASE WHEN (3=3) THEN 3 ELSE 1/(SELECT 0) END)-- x",
    "backtick_compare_then_stacked_select": "cat`=`name`;SELECT (CASE WHEN (4=4) THEN 1 ELSE 0 END) FROM DUAL#",
    "backtick_closed_paren_then_stacked": "id`);SELECT 1,2,3--",
    "and_case_when_after_quote_paren": "9') AND CASE WHEN 31=31 THEN 1 ELSE JSON('zz') END AND ('zz' LIKE 'zz",
    "or_case_operand_when_after_quote": "x' OR CASE 5 WHEN 5 THEN 1 ELSE 0 END-- ",
    "stacked_like_randomblob": "7'));SELECT LIKE('XYZ',UPPER(HEX(RANDOMBLOB(300000000/2))))--",
    "stacked_randomblob_after_double_quote": 'a");SELECT upper(hex(randomblob(90000000)))--',
    "firebird_statement_from_rdb_database": "SELECT 'aa'||(CASE 1 WHEN 1 THEN 1 ELSE 0 END)||'bb' FROM RDB$DATABASE",
    "firebird_union_from_rdb_relations": "0 UNION SELECT RDB$RELATION_NAME FROM RDB$RELATIONS",
    "firebird_monitoring_table": "1 AND 1=(SELECT COUNT(*) FROM MON$ATTACHMENTS)",
    "xss_plus_around_equals_tab": "<b\tonfocus+=+prompt(5) y>",
    "xss_plus_before_equals_only": "<div\nonclick+=alert(2) z>",
    "xss_plus_after_equals_only": "<p/onmouseenter=+confirm(3)>",
    "xss_plus_spaced_after_slash_and_escape": "<Q1/+/OnKeyDown+=+pro\\u006dpt() y>",
    "xss_made_up_two_letter_handler_calls_sink": "<zz onqq=alert(4)>",
    "xss_made_up_bare_on_calls_sink": "<x-y/on=confirm`1`>",
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_shapes_are_refused(name: str) -> None:
    value = ATTACKS[name]
    attack = "xss" if name.startswith("xss_") else "sqli"
    for ctx in (BODY, QUERY):
        found = ENGINE.inspect(value, ctx)
        assert found is not None and found.rule.attack == attack, (name, ctx)


LOOK_ALIKES: list[str] = [
    "Run `; select * from users` against the replica, not prod",  # a code span: balanced backticks after a blank
    "Set `a`=`b` in the config and `c` too",
    "use `WHERE 1=1` as the base and append the filters",
    "I tried foo` and bar -- it broke",  # one backtick glued to a word, then a remark, not a cut
    "It's and case when it rains then we stay home",  # prose after "and case": no comparison before "then"
    "Joe's and case law when cited then holds",
    "We'll meet; select a table for four",  # a stacked "select" without a select list
    "the RDB database; see MON attachments",  # no $ in the names
    "Totals: 5; sleep well",
    "count+=+step; total=+x",  # C-like code: no event name, no sink
    "onclick+=+handlers.length",  # an event-like word, but no sink call
    "x += +y for the onload handler",
    "<zz onqq=yes>",  # a made-up handler whose value is a word: runs nothing (XSStrike's fuzz strings)
    "<demo/onab=cD//",
    "<p class=x on=top(1)>",
    "see <b>this</b> and on=alert(1) in the docs",  # "on=" outside any tag
]


@pytest.mark.parametrize("value", LOOK_ALIKES)
def test_look_alike_text_passes(value: str) -> None:
    assert is_sqli(value) is None and is_xss(value) is None, value
    assert ENGINE.inspect(value, BODY) is None, value


FENCED_EXCHANGE = (
    "The server answers with:\r\n```\r\nHTTP/1.1 404 Not Found\r\n\tServer: nginx\r\n\tContent-Length: 12\r\n"
    "\tX-Cache: MISS\r\n```\r\nand then my client hangs."
)
FENCED_REQUEST = (
    "Request log\n~~~\n\tGET /v2/items HTTP/1.1\n\tHost: api.example.org\n\tAccept: */*\n~~~\nworks with curl."
)


def test_a_fence_gives_header_injection_no_pass() -> None:
    """Fail closed: the fences cost an attacker nothing (``"hi\r\n```\r\nSet-Cookie: …\r\n```"`` still sets the cookie
    where the field is copied into a header), so a quoted exchange in an issue body is refused like any other
    (fresh16: 6 requests)."""
    assert crlf(FENCED_EXCHANGE, BODY) is not None
    assert crlf(FENCED_REQUEST, BODY) is not None
    assert ENGINE.inspect("hi\r\n```\r\nSet-Cookie: sid=forged\r\n```", BODY) is not None


SPLITTING: dict[str, tuple[str, Context]] = {
    "fenced_exchange_in_a_query": (FENCED_EXCHANGE, QUERY),  # written into a URL or header it splits all the same
    "fenced_exchange_in_a_header": (FENCED_REQUEST, HEADER),
    "field_before_the_fence": ("ok\r\nSet-Cookie: sid=1\r\n```\r\nx\r\n```", BODY),
    "field_after_the_fence": ("```\r\nquoted\r\n```\r\nLocation: //e.example", BODY),
    "fence_never_closed": ("en\r\n```\r\nSet-Cookie: a=b", BODY),
    "tab_indented_field_unfenced": ("de\r\n\tSet-Cookie: q=1", BODY),
    "status_line_unfenced": ("x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html", BODY),
}


@pytest.mark.parametrize("name", sorted(SPLITTING))
def test_response_splitting_is_still_refused(name: str) -> None:
    value, ctx = SPLITTING[name]
    assert ENGINE.inspect(value, ctx) is not None, name


def test_new_scans_stay_linear() -> None:
    """128 KiB each, well under a second on a quiet machine (the bound allows a loaded one); a quadratic scan takes
    minutes (the one-quote-then-blanks value took 266 s at 64 KiB before ``_JS_BREAKOUT`` was made possessive)."""
    long_values = [
        "x`" + " " * 131_072,
        "a`;" * 43_000,
        "' and case " * 12_000,
        "<a on" + " " * 131_072,
        "<a " + "+=+" * 43_000,
        "<a o+=+" * 18_000,
        "\r\n```\r\n\tHost: x" * 8_000,
        "```\n" * 32_000 + "\r\nHost: y",
    ]
    for value in long_values:
        start = time.process_time()
        is_sqli(value)
        is_xss(value)
        crlf(value, BODY)
        assert time.process_time() - start < 3.0, value[:20]
