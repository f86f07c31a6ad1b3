"""Unit: the shapes of the fresh62 first contact (afrog's PoC injection values against pyatmo's recorded Netatmo API
answers).

Fixed: a JSON document carried as the text of a field, whose strings the application reads (``engine._embedded_json``:
``{"orderBy":"1 and 1=updatexml(…)--"}`` in a path segment, a .NET ``ObjectDataProvider`` body in a form field); a
``UNION SELECT`` that reads a column out under an alias (``union select password as id from t``,
``sqli_appended.union_row``); ``getRuntime().exec(`` after a placeholder standing for ``Runtime`` (Spring4Shell's
``%{c1}i.getRuntime().exec(…)``); Psych's ``!ruby/object:`` tags that build a gadget chain (``shell._OTHER_RUNTIMES``).
Left missed: values the application decodes its own way (base64 paths, ``~27``-escapes, a thrice-encoded keyword),
bare code probes (``print("x");``, PHP ``'.print(md5(1)).'``), a PHP-serialized array around SQL, HFS macros, a piped
``cat`` of a bare word. No false positive. Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from shape_tables import shape_tests

from bastion.detection import Context
from bastion.detection.engine import _embedded_json

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "a JSON document whose strings inject": [
        '{"sort":"2 and 1=extractvalue(1,concat(0x7e,(select user()),0x7e))--"}',
        '[{"filter":"9 or 1=updatexml(1,concat(0x5e,database()),1)#"}]',
        '{"__type":"System.Windows.Data.ObjectDataProvider, PresentationFramework","MethodName":"Start",'
        '"ObjectInstance":{"StartInfo":{"FileName":"cmd","Arguments":"/c net user"}}}',
        '{"outer":"{\\"inner\\":\\"0 union select 1,2,@@version--\\"}"}',
    ],
    "a union select of an aliased column": [
        "7 UNION SELECT pwd AS x FROM accounts",
        "-3 union all select username as a, secret as b from staff",
        "0 union select token as t,1 from sessions--",
    ],
    "getRuntime().exec( after a placeholder for the class": [
        '%{k}i.getRuntime().exec(request.getParameter("c"))',
        "${r}.getRuntime().exec('uname')",
    ],
    "a Psych tag that builds a Ruby object": [
        "--- !ruby/object:Gem::Requirement\nrequirements: []",
        "- !ruby/object:Net::WriteAdapter\n  socket: !ruby/module 'Kernel'\n  method_id: :system",
        "x: !ruby/hash:ActionController::Routing::RouteSet::NamedRouteCollection {}",
    ],
}

PASSED = {
    "JSON documents of ordinary text": [
        '{"name":"Living room","type":"livingroom","modules":["70:ee:50:00:00:01"]}',
        '[{"title":"Union meeting","agenda":"select a chair as usual"}]',
        '{"note":"use Runtime to run jobs","as":"admin"}',
        '{"q":"select your plan","sort":"price asc"}',
        '["a","b","c"]',
    ],
    "prose with union, select and as": [
        "the union select committee as chair from next year",
        "Join the union, select a plan as you like, from 3 offers",
        "a union select panel as in years past, from March",
    ],
    "Java and YAML in ordinary text": [
        "call Runtime.getRuntime().availableProcessors() to size the pool",
        "the ruby object model: every value is an object",
        "tags: !ruby is not a YAML tag here",
    ],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS, line_breaks_in_headers=True)


def test_embedded_json() -> None:
    assert _embedded_json('{"a":"x y"}') == ["a", "x y"]
    assert _embedded_json("{not json}") == []
    assert _embedded_json('"just a string"') == []
    assert _embedded_json("[1, 2, 3]") == []
    assert _embedded_json('{"a":"b"') == []


@pytest.mark.parametrize(
    "unit",
    [
        '{"k":"1 and 1=1","v":[' + '"x",' * 4 + '"y"]}',
        '{"a":' * 8 + '"b"' + "}" * 8,
        "union select pw as x from t;",
        "%{c}i.getRuntime().exec(",
        "!ruby/object:Gem::X ",
    ],
)
def test_linear(inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    half = unit * (64 * 1024 // len(unit))
    whole = half + half
    for ctx in (BODY, Context("query", "q")):
        assert inspect_seconds(whole, ctx) < 3 * inspect_seconds(half, ctx) + 0.05, (unit, ctx)


def test_large_embedded_document(inspect_seconds: Callable[[str, Context], float]) -> None:
    item = '{"name":"Room","id":"12:34:56:78"},'
    half = "[" + item * (64 * 1024 // len(item)) + '{"z":"1"}]'
    whole = "[" + item * (2 * 64 * 1024 // len(item)) + '{"z":"1"}]'
    assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05
