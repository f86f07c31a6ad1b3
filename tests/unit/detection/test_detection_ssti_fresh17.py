"""Unit: template-injection shapes of the fresh17 first contact, and its false positive. A short value made of two or
more different template openers and next to no letters is a syntax probe; placeholders with names (``{{name}}``,
``${{ github.sha }}``) pass. Smarty's sum next to a ``{*comment*}``, Velocity's ``#evaluate("…")``/``#include("…")``,
Twig's PHP callbacks (``|map("call_user_func")``) and a literal membership test (``{{3in[3]}}``) are refused; a sum
in braces alone, C's ``#include`` and Jinja's ``map('lower')`` pass. A ``@@`` glued to a letter or bracket (an encoded
map polyline) is no SQL server variable. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.shell import is_cmdi
from bastion.detection.signatures import ssti
from bastion.detection.sqli import is_sqli

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-label")
JSON_KEY = Context("body", "attrs", is_key=True)
ENGINE = Engine()

REFUSED: dict[str, tuple[str, Context]] = {
    "el_and_mustache_with_comment_close": ("${{#/}}", BODY),
    "erb_razor_comment_and_ruby": ("<%=7%>@*#{8}", QUERY),
    "jinja_comment_around_el_and_mustache": ("{#${{3}}#}", BODY),
    "mustache_then_razor_comment": ("{{4}}*@*", HEADER),
    "attribute_breakout_thymeleaf_inline": ('q">[[${5}]]', QUERY),
    "erb_inside_el_string": ("${'<%=6%>'}", JSON_KEY),
    "jinja_comment_then_go_dot": ("{# #}{{.}}", BODY),
    "smarty_sum_with_comment": ("{12+30}{*77*}{9}", BODY),
    "smarty_comment_after_tag_close": ("x}{*a*}{100-1}{", QUERY),
    "velocity_evaluate": ("#evaluate('#set($q=1)')", BODY),
    "velocity_include_in_if": ("#if(true)#include('c:/q')#end", HEADER),
    "velocity_braced_parse": ("#{parse}($tpl)", BODY),
    "twig_map_call_user_func": ('{{ {"ls":"system"}|map("call_user_func")|join }}', BODY),
    "twig_filter_passthru": ("{% for x in ['uname']|filter('passthru') %}{% endfor %}", JSON_KEY),
    "twig_sort_exec": ("{{ ['a','b']|sort(\"exec\")|first }}", QUERY),
    "literal_membership": ("{{3in[3]}}", BODY),
    "literal_not_in_list": ("{{ 9 not in [1, 2] }}", HEADER),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_template_probes_are_refused(name: str) -> None:
    value, ctx = REFUSED[name]
    found = ENGINE.inspect(value, ctx)
    assert found is not None and found.rule.attack == "ssti", name
    assert ssti(value, ctx) is not None, name


TEMPLATE_TEXT = [
    "{{name}}",
    "${var}",
    "#{id}",
    "Hi {{1}}, your parcel {{2}} is on its way",
    "${{ github.sha }}",
    'if [[ "${{ matrix.os }}" == "linux" ]]; then make; fi',
    "[[${user.fullName}]] wrote on [[${post.date}]]",
    "## Install {#install}\nexport PATH=${HOME}/bin",
    "{1+2}",
    "{0} of {1} done",
    "{* a Smarty comment *} explains the block",
    "the sum {3+4} is seven",
    '{"grid": [[1,2],[3,4]]}',
    "#include <stdlib.h>",
    '#include "config.h"',
    "#define MIN(a,b) ((a)<(b)?(a):(b))",
    "#parse is a hashtag, #evaluate another",
    "{{ users|map(attribute='email')|join(', ') }}",
    "{{ names|map('upper')|join(' ') }}",
    "{{ 1 in selected }}",
    "pick x in [1, 2, 3]",
    "{% raw %}{{ title }}{% endraw %}",
    "{{#each rows}}{{cell}}{{/each}}",
    "<%= link_to 'Home', root_path %> and ${title}",
    "[[Main Page]] uses {{Infobox city}}",
]


@pytest.mark.parametrize("value", TEMPLATE_TEXT)
def test_placeholders_docs_and_code_pass(value: str) -> None:
    assert ENGINE.inspect(value, BODY) is None, value


POLYLINES = [
    "w`hnGzt|ZkA@@JTCf@@ZjCvAeB@@YIgB{@@UIq@[@@eAj@`@_@M~@y@@uB",
    "mfp_I__vpAo@{@@UI]@k@[bB`Gd@@YBm@^e@N_@?a@~@`@qAj@{@@WaAJ",
]


@pytest.mark.parametrize("value", POLYLINES)
def test_encoded_polylines_pass(value: str) -> None:
    assert is_sqli(value) is None, value
    assert ENGINE.inspect(value, BODY) is None, value


SERVER_VARIABLES = [
    "1 and @@version like '8%'",
    "x'+@@servername+'",
    "(select @@datadir)",
    "1,@@hostname",
    "PRINT @@version",
]

# MySQL reads a keyword glued to ``@@`` as two tokens: the blank-free boolean forms an evasion list would try.
GLUED_AFTER_KEYWORD = [
    "7'or@@basedir>0-- ",
    "9'and@@port--",
    "u'xor@@tmpdir like'/%'#",
    "1 union select@@hostname",
]


@pytest.mark.parametrize("value", GLUED_AFTER_KEYWORD)
def test_server_variable_glued_after_a_keyword_is_refused(value: str) -> None:
    assert ENGINE.inspect(value, QUERY) is not None, value


@pytest.mark.parametrize("value", SERVER_VARIABLES)
def test_server_variables_still_refused(value: str) -> None:
    assert is_sqli(value) is not None, value


@pytest.mark.parametrize("value", ["`id`", "q=`uname -a`", "a;`cat /etc/hostname`"])
def test_backtick_substitution_still_refused(value: str) -> None:
    assert is_cmdi(value) is not None or ENGINE.inspect(value, QUERY) is not None, value


def test_new_rules_stay_linear() -> None:
    size = 128 * 1024
    long_values = [
        "{*" * (size // 2) + "{1+2}",
        "{1+2}" + "{*" + "x" * size,
        "#{" * (size // 2) + "#evaluate",
        "|map(" * (size // 5) + "'system",
        "{{1in[" * (size // 6),
        "${{" * (size // 3),
        "a@@" * (size // 3),
    ]
    for value in long_values:  # 128 KiB each: a quadratic scan would take minutes, a linear one well under a second
        for analyse in (lambda v: ssti(v, BODY), is_sqli):
            start = time.process_time()
            analyse(value)
            assert time.process_time() - start < 3.0, value[:20]
