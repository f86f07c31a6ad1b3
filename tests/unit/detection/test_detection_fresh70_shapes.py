"""Unit: the shapes of the fresh70 first contact (the OWASP community pages' attack examples: the SQL injection WAF
bypass sheet, blind XPath injection, SSRF; against Home Assistant's recorded device and service answers).

Fixed: a bare ``UNION SELECT`` probe spelled ``DISTINCTROW``, in parentheses (``UNION(SELECT)``) or with its
blank-standing comments ended by CR LF, or trailed by a line comment's words (``sqli``); a character oracle that
compares a string function over another with a hex character code (``sqli_whole.blind_comparison``); catalog column
names glued with hex markers (``sqli._CATALOG_CONCAT``); the tail of a split ``UNION SELECT 1,2,3`` list before
``FROM`` (``sqli_grammar._past_number_list``); a blind probe's XPath expression (``xpath_unions.xpath_probe``); a
one-label host as the whole value of a field the server fetches (``ssrf._SINGLE_LABEL``; links such as ``href`` keep
their placeholders). Left: ``${param.x}`` (an ordinary
template field, ``el_scopes``), a log line forged with a line break inside a body (multi-line text), a keyword split
by a vertical tab (SQL only after the application's own filter). Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from shape_tables import passes_everywhere, refused_everywhere, shape_tests

from bastion.detection import Context, Engine
from bastion.detection.xpath_unions import xpath_probe

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]
URL_FIELDS = [Context("body", "webhook_url"), Context("query", "callback"), Context("body", "proxy_endpoint")]
LINK_FIELDS = [Context("body", "href"), Context("body", "url"), Context("query", "image_src")]

REJECTED = {
    "a bare UNION SELECT probe: DISTINCTROW, parentheses, CR LF comments, a trailing comment's words": [
        " union distinctrow select ",
        "UNION(SELECT)",
        "x' union(select)--",
        "union#a1\r\nselect",
        "union--zz\r\nselect#yy",
        "union/**/select#trailing words",
    ],
    "a character oracle over a hex character code": [
        "strcmp(right('secret',2), 0x6b) = 0",
        "strcmp(left(pass,1), 0x61) = -1",
        "instr(lower(name), 0x61) > 0",
    ],
    "catalog column names glued with hex markers": [
        "group_concat(table_name,0x3a,column_name)",
        "concat_ws(0x7e,schema_name,table_schema)",
        "hex(concat(column_name,0x2c,table_name))",
    ],
    "a UNION select list's tail before FROM": [
        "4,5 from accounts where uid=2--",
        "7, 8, 9 from t where a=1#",
    ],
    "a blind probe's XPath expression": [
        "count(//account/child::node())",
        "string-length(//u[position()=2]/child::*[1])=5",
        "substring((//user[1]/pass),1,1)='x'",
        "name(/*[1])",
    ],
}

PASSED = {
    "prose and code with the same words": [
        "the union select committee met on Friday",
        "strcmp(a, b) == 0",
        "left(name, 3) = 1",
        "concat(table_schema, '.', table_name)",
        "Pick 1, 2 from the list where possible",
        "count(//item) of the feed",
        "see //cdn.example.com/a.js and (//note)",
        "http://intranet/wiki is where the notes live",
        "Hello ${param.name}, welcome",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)

SINGLE_LABEL = ["http://internal-admin/upload", "https://db:5984/_all_dbs", "http://build-07/job/x"]
PUBLIC = ["https://hooks.example.com/in/42", "http://2130706433.example.org/", "https://example.com./x",
          "https://user:pw@files.example.com/a.csv"]


@pytest.mark.parametrize("value", SINGLE_LABEL)
def test_single_label_refused_in_url_fields(engine: Engine, value: str) -> None:
    refused_everywhere(engine, value, URL_FIELDS)


@pytest.mark.parametrize("value", SINGLE_LABEL + PUBLIC)
def test_single_label_passes_elsewhere(engine: Engine, value: str) -> None:
    passes_everywhere(engine, value, [BODY, Context("query", "q")])


@pytest.mark.parametrize("value", SINGLE_LABEL)
def test_single_label_passes_in_link_fields(engine: Engine, value: str) -> None:
    passes_everywhere(engine, value, LINK_FIELDS)  # a document's placeholder link (href="http://link")


@pytest.mark.parametrize("value", PUBLIC)
def test_public_hosts_pass_in_url_fields(engine: Engine, value: str) -> None:
    passes_everywhere(engine, value, URL_FIELDS)


def test_helper() -> None:
    assert xpath_probe("count(//a/child::b)") == (0, 19)
    assert xpath_probe("count(//a)") is None
    assert xpath_probe("x count( (//a[@id]") is not None
    assert xpath_probe("name(//a) " * 20) is None


@pytest.mark.parametrize(
    ("unit", "ctx"),
    [
        ("count(//a/", BODY),
        ("string(//b ", BODY),
        ("concat(0x3e,", BODY),
        ("concat(a,", BODY),
        ("union ", BODY),
        (" union  (", BODY),
        (",1 ", BODY),
        ("2,3 from ", BODY),
        ("strcmp(left(", BODY),
        ("http://a/", Context("body", "webhook_url")),
    ],
)
def test_linear(inspect_seconds: Callable[[str, Context], float], unit: str, ctx: Context) -> None:
    half = unit * (64 * 1024 // len(unit))
    whole = half + half
    assert inspect_seconds(whole, ctx) < 3 * inspect_seconds(half, ctx) + 0.05, unit
