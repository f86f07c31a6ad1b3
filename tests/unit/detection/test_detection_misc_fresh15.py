"""Unit: shapes of the fresh15 first contact outside cmdi. A value that opens with ``;`` and a constant ``return``
statement breaks out of a ``$where`` clause; code snippets that merely contain ``return true;`` pass. ``char()``
calls glued to each other or to a number, codes in hex too, spell a string in SQL. A URL host with ``$`` in it is
also read the ways a lax parser reads it. The look-alike break pair U+560A U+560D glued between ASCII characters
counts in URL and header locations only. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.signatures import crlf, nosqli
from bastion.detection.sqli import is_sqli
from bastion.detection.ssrf import is_ssrf

BODY = Context("body", "comment")
QUERY = Context("query", "filter")
HEADER = Context("header", "x-trace-tag")
COOKIE = Context("cookie", "lang")
PATH = Context("path", "segment")
JSON_KEY = Context("body", "attrs", is_key=True)
ENGINE = Engine()

WHERE_BREAKOUT: dict[str, tuple[str, Context]] = {
    "semicolon_return_true": (";return true;", BODY),
    "semicolon_return_false_then_quote": (";return false;'", QUERY),
    "spaced_return_one": ("  ; return 1 ;", HEADER),
    "return_in_parentheses_then_comment": (";return(true);\"}//", COOKIE),
    "return_negated_zero_whole_value": (";return !0", BODY),
    "as_object_key": (";return false;\"", JSON_KEY),
}


@pytest.mark.parametrize("name", sorted(WHERE_BREAKOUT))
def test_where_clause_return_breakout_is_refused(name: str) -> None:
    value, ctx = WHERE_BREAKOUT[name]
    assert ENGINE.inspect(value, ctx) is not None, name
    assert nosqli(value, ctx) is not None, name


JS_TEXT = [
    "if (cart.empty) return true;",
    "function isReady() { return false; }",
    "The validator should return true; otherwise the form stays open.",
    "const ok = () => { return 1; };",
    "returns true; see docs",
    "Use `return false;` to stop the event.",
    ";(function () { init(); })();",
    "; semicolons first, return values later",
    ";return user.active;",
]


@pytest.mark.parametrize("value", JS_TEXT)
def test_code_snippets_with_return_pass(value: str) -> None:
    assert ENGINE.inspect(value, BODY) is None, value


CHAR_STRINGS: dict[str, tuple[str, Context]] = {
    "glued_to_number_hex": ("7char(0x22)char(0x22)", QUERY),
    "glued_to_each_other_decimal": ("abc'char(39)char(39)", BODY),
    "spaced_hex_calls": ("5 CHAR(0x41) CHAR(0x42)", HEADER),
    "chr_glued_hex": ("0chr(0x5c)chr(0x27)", PATH),
}


@pytest.mark.parametrize("name", sorted(CHAR_STRINGS))
def test_glued_char_calls_are_refused(name: str) -> None:
    value, ctx = CHAR_STRINGS[name]
    assert ENGINE.inspect(value, ctx) is not None, name
    assert is_sqli(value) is not None, name


CHAR_TEXT = [
    "char(0x27)",
    "static const char q = char(0x27);",
    "s = chr(0x41) + chr(0x42)",
    "Use char(0x0d)char(0x0a) for line breaks in the report",
    "nvarchar(50) char(10)",
    "column type varchar(255)",
    "CHAR(10) is a line feed",
]


@pytest.mark.parametrize("value", CHAR_TEXT)
def test_char_calls_in_code_and_prose_pass(value: str) -> None:
    assert ENGINE.inspect(value, BODY) is None, value


DOLLAR_HOSTS = [
    "http://lvh$pad.me:9000/v1/status",
    "https://localtest$x1.me/admin",
    "http://localhost$dev/",
    "http://127.0.0.1$a/metrics",
]


@pytest.mark.parametrize("url", DOLLAR_HOSTS)
def test_loopback_name_split_by_dollar_is_refused(url: str) -> None:
    assert is_ssrf(url, "webhook_url") is not None, url
    assert ENGINE.inspect(url, Context("body", "callback_url")) is not None, url


DOLLAR_URLS = [
    "https://api.example.com/odata/$metadata",
    "https://svc.example.org/People?$filter=Name eq 'x'&$top=5",
    "http://user:pa$$w0rd@files.example.net/share",
    "http://$HOST:8080/v1/items",
    "https://shop$eu.example.com/basket",
    "https://cdn.example.com/img/$1.png",
]


@pytest.mark.parametrize("url", DOLLAR_URLS)
def test_dollar_elsewhere_in_urls_passes(url: str) -> None:
    assert ENGINE.inspect(url, Context("body", "callback_url")) is None, url


LOOKALIKE_BREAKS: dict[str, tuple[str, Context]] = {
    "query_lf_cr_pair": ("abc\u560a\u560ddef", QUERY),
    "header_cr_lf_pair": ("v1\u560d\u560aok", HEADER),
    "cookie_pair": ("de\u560a\u560dx", COOKIE),
    "path_pair": ("item7\u560a\u560dtail", PATH),
}


@pytest.mark.parametrize("name", sorted(LOOKALIKE_BREAKS))
def test_lookalike_break_pair_in_url_and_header_is_refused(name: str) -> None:
    value, ctx = LOOKALIKE_BREAKS[name]
    assert crlf(value, ctx) is not None, name
    assert ENGINE.inspect(value, ctx) is not None, name


LOOKALIKE_TEXT: list[tuple[str, Context]] = [
    ("abc\u560a\u560ddef", BODY),  # body text: left alone, like a real break between words
    ("\u560a\u560d", QUERY),  # the characters on their own, a CJK search
    ("\u5e7f\u4e1c\u8bdd\u560d\u560a\u5440", QUERY),  # inside Chinese text
    ("\u4e0d\u4e0a\u7f51", HEADER),  # ordinary characters with the same low bytes
    ("abc\u560adef", QUERY),  # one of them alone
]


@pytest.mark.parametrize(("value", "ctx"), LOOKALIKE_TEXT)
def test_lookalike_characters_in_text_pass(value: str, ctx: Context) -> None:
    assert ENGINE.inspect(value, ctx) is None, value


def test_new_rules_stay_linear() -> None:
    long_values = [
        ";" + " " * 100_000 + "return",
        "char(0x1)" * 12_000 + "x",
        "a\u560a" * 40_000,
        "http://a" + "$" * 100_000 + "/",
    ]
    for value in long_values:
        start = time.process_time()
        nosqli(value, BODY)
        is_sqli(value)
        crlf(value, QUERY)
        is_ssrf(value, "url")
        assert time.process_time() - start < 1.0
