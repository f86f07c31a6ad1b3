"""Unit: the shapes of the fresh53 first contact.

Inputs that sanitizing and parsing libraries test themselves against: a MongoDB operator as a plain parameter name in
a form-encoded value (``operator_params``), a ``$`` key that a sanitizer's ``replaceWith`` turns into a prototype key
and an array key path from ``constructor`` to ``prototype`` (``proto_paths``), and the shortest LDAP filter break-outs
with no assertion after them (``ldap_fragments``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.ldap_fragments import closing_filter, opening_filter
from bastion.detection.operator_params import operator_param
from bastion.detection.proto_paths import array_path, sanitizer_standin

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "operator as a form parameter name": [
        "name=ann&$where=this.a>1",
        "$ne=1",
        "user=x&$regex=.*&sort=asc",
        "a=1&$gt[0]=2",
        "$or=1&b",
    ],
    "sanitizer stand-in for a prototype key": [
        '{"$_proto__": {"admin": true}}',
        '{"$onstructor": {"x": 1}}',
        "$rototype[isAdmin]=1",
        "a.$proto__.b",
        "$onstructor",
    ],
    "array path from constructor to prototype": [
        '["constructor", "prototype", "admin"]',
        "[['constructor'],'prototype']",
        '[ [ "constructor" ] , [ "prototype" ], "x" ]',
    ],
    "opening of a combined ldap filter": ["(|(uid", "(&(mail", " ( ! ( cn ", "(|(objectClass"],
    "closing ldap break-out": ["admin))(", "j.doe@x.org)))(", "x*))("],
}

PASSED = {
    "code with dollar variables": [
        '$where = "id = 5";',
        "$in = 1",
        "$in=1;",
        '$where="a";',
        "&$where",
        "function f(&$where) {}",
        "$ne = $a != $b",
    ],
    "query strings without operators": [
        "price=$5&qty=2",
        "$orderby=name&$top=10",
        "$filter=name eq 'x'",
        "x=1&y=$gt",
        "$comment=hi",
        "$search=shoes",
        "$top=10&$skip=20",
        "total: $where",
    ],
    "prose and code about prototypes": [
        "Array.prototype.map",
        "the constructor and prototype chapter",
        '["js", "constructor", "prototype"]',
        "obj.constructor.name",
        "$proto is a variable",
        "price $rototype",
        "prototype.test.js",
        "I paid $5 for the constructor set",
    ],
    "parentheses in text": [
        "(see (this))(",
        "спасибо))(",
        "(|( not a filter",
        "(a|b)",
        "f(x))(y)",
        "((|(",
        "call foo((x))( y",
        "(&) is an ampersand",
        "smile :))",
    ],
}


@pytest.mark.parametrize("shape, value", [(k, v) for k, vs in REJECTED.items() for v in vs])
@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: c.kind)
def test_shape_rejected(engine: Engine, shape: str, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None, f"{shape}: {value!r} in {ctx.kind}"


@pytest.mark.parametrize("group, value", [(k, v) for k, vs in PASSED.items() for v in vs])
@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: c.kind)
def test_lookalike_passes(engine: Engine, group: str, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is None, f"{group}: {value!r} in {ctx.kind} -> {found and found.rule.attack}"


def test_operator_keys_in_json_bodies(engine: Engine) -> None:
    """The stand-in reaches the analyser as a JSON member name too."""
    assert engine.inspect("$_proto__", Context("body", "", is_key=True)) is not None
    assert engine.inspect("$rototype", Context("query", "", is_key=True)) is not None


BIG = 128 * 1024


@pytest.mark.parametrize(
    "func, prefix",
    [
        (operator_param, "a=" + "b" * 50 + "&"),
        (operator_param, "$where=" + "x=" * 40),
        (sanitizer_standin, "$_proto_"),
        (sanitizer_standin, "[$onstructo"),
        (array_path, '[["constructor",'),
        (array_path, "[ "),
        (opening_filter, "(|(a"),
        (closing_filter, "a))"),
    ],
)
def test_linear(func: object, prefix: str) -> None:
    value = (prefix * (BIG // len(prefix) + 1))[:BIG]
    start = time.process_time()
    func(value)  # type: ignore[operator]
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize("prefix", ["a=b&" * 3, "$where=", "$_proto_", '[["constructor",', "(|(a", "a))"])
def test_linear_through_engine(engine: Engine, prefix: str) -> None:
    value = (prefix * (BIG // len(prefix) + 1))[:BIG]
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 2.0


def test_query_string_failing_late_is_linear() -> None:
    """A long query string with an operator that fails the shape only at its end (a blank) stays linear."""
    value = "$where=1&" + "&".join(f"k{i}=v{i}" for i in range(90)) + "&" + "x" * 3000 + " end"
    start = time.process_time()
    assert operator_param(value) is None
    assert time.process_time() - start < 0.2
