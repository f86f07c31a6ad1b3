"""Unit: the shapes of the fresh61 first contact (REST API fuzzers' security payloads: cats's injection fuzzers and
its naughty strings, vulnapi's JWT payloads, against the Lokalise API's recorded answers).

Fixed: a whole value that is an LDAP operator and its items without the outer parenthesis (``!(cn=*)``) and an
extensible match on DN components (``:dn:=*``) (``ldap_fragments``); a dialog call in a ``#{…}`` interpolation and
a script scheme split by a NUL written as an escape (``java\\0script:``) (``xss``). Left missed: a URL to a
single-label host (``http://intranet``), since older benign answers name such hosts (``http://tableauserver/``).
No false positive. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.ldap_fragments import dn_match, operator_item

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "an LDAP operator and its items as the whole value": [
        "!(memberOf=cn=staff)",
        "!(sn=*)",
        "& (ou=people)(title=*)",
        "|(mail=*@corp)(uid=root)",
        "!(employeeType<=9)",
    ],
    "an extensible match on DN components": [":dn:=*", "ou:dn:=sales", "o:dn:2.5.13.5:=acme", "x*)(:dn:=*"],
    "a dialog call in an interpolation": ["#{confirm(7)}", "#{ prompt`x` }", "name=#{window.alert(document.domain)}"],
    "a script scheme split by a written NUL": [
        "<img src=java\\0script:confirm(3)>",
        "<a href='jav\\x00ascript:prompt(1)'>go</a>",
        '<iframe src="javas\\u0000cript:alert(2)">',
    ],
}

PASSED = {
    "code and prose with negations and parentheses": [
        "!(a = b)",
        "!(isReady)",
        "&(x=1) and then some words",
        "if (!(count > 3)) { stop(); }",
        "| (name) | value |",
        "!(not a filter) — just an aside",
    ],
    "colons and equals signs in ordinary values": [
        "key:dn=42",
        "ratio := 3/4",
        "x:=1; y:=2",
        "dn: cn=John,ou=people,dc=example,dc=org",
    ],
    "interpolations in Ruby and CoffeeScript code": [
        'set :deploy_to, "/var/www/#{app_name}"',
        '"Hello #{user.name}, you have #{count} alerts"',
        "#{alerts.size} alerts pending",
    ],
    "written escapes that join nothing": [
        "<p>Use \\0 to end the string</p>",
        '<code>printf("%s\\0", name)</code>',
        "<b>end it with \\0 or \\x00 or \\u0000</b>",
    ],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_helpers() -> None:
    assert operator_item("!(cn=*)") == (0, 7)
    assert operator_item("&(a=1)(b=2)") == (0, 11)
    assert operator_item("!(a = b)") is None
    assert operator_item("(!(cn=*))") is None  # signatures.ldapi's case
    assert operator_item("!(cn=*) trailing") is None
    assert dn_match(":dn:=*") == (0, 5)
    assert dn_match("cn:dn:=x") == (0, 7)
    assert dn_match("a:=b") is None


@pytest.mark.parametrize(
    "probe,prefix",
    [
        (operator_item, "!(a=b)"),
        (operator_item, "!(" + "a" * 70),
        (lambda v: operator_item("!" + v), "(x=y)"),
        (lambda v: operator_item("!" + v), "(" * 3),
        (dn_match, "a" * 60 + ":"),
        (dn_match, ":dn:x:"),
        (dn_match, ":="),
    ],
)
def test_linear(probe: object, prefix: str) -> None:
    value = prefix * (128 * 1024 // len(prefix))
    start = time.process_time()
    probe(value)  # type: ignore[operator]
    assert time.process_time() - start < 1.0


def test_engine_linear_on_triggers(engine: Engine) -> None:
    for prefix in ("!(cn=", "&(a=1)", ":dn:=", "x:dn:", "#{alert", "#{ ", "<a href=java\\0", "\\0\\x00\\u0000"):
        value = prefix * (128 * 1024 // len(prefix))
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 2.0, prefix
