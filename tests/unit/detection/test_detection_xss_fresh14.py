"""Unit: XSS shapes of the fresh14 first contact. An event handler written without a tag whose sink is reached
through ``.call``/``.apply``/``.bind`` or picked from an array; a JavaScript string breakout into JSFuck (a dense
run of ``[]()!+{}`` spelling a name); a breakout around a template expression that defines a function calling a
sink; a ``data:`` URL whose media type is script. Through the whole engine and ``is_xss``; benign look-alikes
(code snippets, templates in content fields, image and text data URLs, nested arrays) must pass. Values are our
own; none comes from a corpus."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine
from bastion.detection.xss import is_xss

COMMENT = Context("body", "comment")
QUERY = Context("query", "q")
COOKIE = Context("cookie", "theme")
LOCATIONS = (COMMENT, QUERY, COOKIE)


def _flagged(engine: Engine, value: str) -> bool:
    return is_xss(value) is not None and all(engine.inspect(value, ctx) is not None for ctx in LOCATIONS)


def _passes(engine: Engine, value: str) -> bool:
    return is_xss(value) is None and all(engine.inspect(value, ctx) is None for ctx in LOCATIONS)


@pytest.mark.parametrize("value", [
    "onfocus=prompt.call(null,7) autofocus ",
    "onmouseenter=confirm.apply(null,[2]) title=a ",
    "onpointerdown=alert.call(window,'hi') tabindex=1",
    "ontouchend=alert.bind()(4) id=t ",
    "onclick=confirm.bind(window,5)()",
    "onclick=Reflect.apply(prompt,null,[3])",
    "onload=[alert][0](9)",
    "onanimationend=[confirm][0]`x` style=x",
    "\" onblur=prompt . call ( null , 1 ) x=\"",
])
def test_a_handler_calling_a_sink_through_call_apply_bind_or_an_array_is_xss(engine: Engine, value: str) -> None:
    assert _flagged(engine, value)


@pytest.mark.parametrize("value", [
    "[alert][0](1)",
    "[prompt][0]`2`",
])
def test_a_whole_value_calling_a_sink_picked_from_an_array_is_xss(engine: Engine, value: str) -> None:
    assert _flagged(engine, value)


@pytest.mark.parametrize("value", [
    "Use fn.call(null, x) to drop the receiver.",
    "const hi = Math.max.apply(null, arr);",
    "handler.call(null, event) runs in the onload callback",
    "window.onload = init;",
    "button.onclick = () => confirm.call(null, msg)",
    "onload=init",
    "Set onchange=refresh in the form builder, then confirm.",
    "arr[0](x) calls the first callback",
])
def test_code_snippets_with_call_and_apply_pass(engine: Engine, value: str) -> None:
    assert _passes(engine, value)


@pytest.mark.parametrize("value", [
    "'-top[(+{}+[])[+!![]]+(![]+[])[!+[]+!![]]+(!![]+[])[+[]]]((+{}+[])[+!![]])-'",
    "\\\"+window[(![]+[])[+!![]]+(!![]+[])[+[]]+(!![]+[])[+!![]]](7);//",
    "';self[(![]+[])[+!![]]+(!![]+[])[+[]]]((+[]))//",
    "\\'+globalThis[(+{}+[])[+!![]]+(![]+[])[!+[]+!![]]]+'",
    "'+[][(![]+[])[+[]]+(![]+[])[!+[]+!![]]]+'",
])
def test_a_string_breakout_into_jsfuck_is_xss(engine: Engine, value: str) -> None:
    assert _flagged(engine, value)


@pytest.mark.parametrize("value", [
    '"matrix": [[[[[[[[[[[[]]]]]]]]]]]]',
    '"a", [[[[[[[[[[]]]]]]]]]]',
    "Wow!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    "see [] () !! ++ {} for the operators",
    "a[(+{}+[])[+!![]]]",
    "'Hello' + names[0] + '!'",
    "It's [1]+[2] (not [3])",
])
def test_brackets_and_operators_that_are_no_jsfuck_pass(engine: Engine, value: str) -> None:
    assert _passes(engine, value)


@pytest.mark.parametrize("value", [
    "'+{{-function(){top.prompt(3)}()}}+'",
    "\";{{function(){this.confirm(2)}()}};//",
    "\\'{{-function(){self.alert(8)}()}}\\'",
    "{{ (()=>alert(1))() }}",
    "-{{ [1].map(function(){ eval(name) }) }}-",
])
def test_a_template_expression_whose_function_calls_a_sink_is_xss(engine: Engine, value: str) -> None:
    assert _flagged(engine, value)


@pytest.mark.parametrize("value", [
    "Dear {{ user.name }}, your order {{ order.id }} shipped.",
    "{{#each items}}<li>{{this.title}}</li>{{/each}}",
    "{{ items.map(function(i){ return i.label }).join(', ') }}",
    "{{ rows.filter(r => r.active).length }} active",
    "Hello {{ name | uppercase }}, total {{ total() }}",
    "{{> header}} {{! a comment about the alert banner }}",
    "<p v-if=\"open\">{{ confirmText }}</p>",
    "{{ showAlert(function(){ return 1 }) }}",
    "{{ user.name }} wrote: a function that calls alert(x) is a bad idea",
    "{{ steps.map(s => s.title) }}\nconfirm(order) before paying",
])
def test_templates_in_content_fields_pass(engine: Engine, value: str) -> None:
    assert _passes(engine, value)


@pytest.mark.parametrize("value", [
    "data:text/javascript,alert(5)",
    "data:text/javascript;charset=utf-8,prompt(1)",
    "data:application/javascript;base64,Y29uZmlybSgxKQ==",
    "data:text/ecmascript,confirm(2)",
    "data:application/x-javascript,alert(3)",
    "data:text/html,<script>confirm(4)</script>",
])
def test_a_data_url_with_a_script_media_type_is_xss(engine: Engine, value: str) -> None:
    assert _flagged(engine, value)


@pytest.mark.parametrize("value", [
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==",
    "data:text/plain,hello",
    "data:text/plain;charset=utf-8,caf%C3%A9",
    "data:text/csv,id,name%0A1,Ann",
    "data:application/json,{\"ok\":true}",
    "Served with Content-Type: text/javascript; charset=utf-8",
])
def test_data_urls_of_images_and_text_pass(engine: Engine, value: str) -> None:
    assert _passes(engine, value)
