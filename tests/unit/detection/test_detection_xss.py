"""Unit: the context-aware XSS analyser (HTML tags, attribute breakout, JS breakout, script URLs)."""

from __future__ import annotations

import pytest

from bastion.detection.xss import is_xss

ATTACKS = {
    "script_tag": "<script>alert(1)</script>",
    "img_onerror": "<img src=x onerror=alert(1)>",
    "svg_slash_onload": "<svg/onload=alert(1)>",
    "close_attr_then_tag": '"><svg onload=alert(1)>',
    "attribute_breakout_single": "' autofocus onfocus='alert(1)",
    "attribute_breakout_double": '" onmouseover="alert(1)',
    "javascript_url": "javascript:alert(document.cookie)",
    "javascript_url_with_tab": "java\tscript:alert(1)",
    "markdown_javascript_link": "[click](javascript:alert(1))",
    "js_string_breakout": "';alert(1)//",
    "js_arithmetic_breakout": '"-alert(1)-"',
    "close_script_context": "</script><script>alert(1)</script>",
    "iframe": '<iframe src="https://evil.example">',
    "anchor_void": '<a href="javascript:void(0)">x</a>',
    "body_onload": "<body onload=alert(1)>",
    "details_ontoggle": "<details open ontoggle=alert(1)>",
    "css_expression": '<div style="width:expression(alert(1))">',
    "data_url_html": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "template_literal_sink": "${alert(1)}",
    "custom_tag_handler": "<x onclick=alert(1)>click",
    "object_javascript": '<object data="javascript:alert(1)">',
    "backtick_call": '"><img src=x onerror=prompt`1`>',
    "bracket_call_obfuscation": "';top['al'+'ert'](1)//",
    "meta_refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "input_autofocus": "<input autofocus onfocus=alert(1)>",
    "style_element_import": "<style>@import 'https://evil.example/x.css';</style>",
}

BENIGN = {
    "comparison": "a < b and c > d",
    "heart": "I <3 this",
    "basic_formatting": "<b>bold</b> and <i>it</i>",
    "paragraph_with_class": '<p class="note">Hello</p>',
    "java_generics": "Map<String, List<Integer>>",
    "autolink": "<https://example.com>",
    "email_autolink": "<jane@example.com>",
    "book_title": "JavaScript: The Good Parts",
    "markdown_code_tag": "Use `<div>` tags",
    "https_link": '<a href="https://example.com/page">link</a>',
    "https_image": '<img src="https://cdn.example.com/a.png" alt="cat">',
    "js_snippet_block": 'if (x) { console.log("hi"); }',
    "quoted_then_print_word": "He said 'hello'; print this",
    "regular_expression_prose": "regular expression (regex) docs",
    "online_flag": "online=true",
    "quoted_button": "Click on the 'Save' button",
    "template_literal_field": "const t = `${user.name}`;",
    "png_data_url": "data:image/png;base64,iVBORw0KGgo=",
    "arrow_function": "x => x * 2",
    "vue_template_element": '<template><v-btn @click="save">Save</v-btn></template>',
    "plain_style_element": "<style>.price { color: red }</style>",
}


@pytest.mark.parametrize("payload", ATTACKS.values(), ids=ATTACKS.keys())
def test_detects_xss(payload: str) -> None:
    assert is_xss(payload) is not None


@pytest.mark.parametrize("text", BENIGN.values(), ids=BENIGN.keys())
def test_passes_benign_markup_and_text(text: str) -> None:
    assert is_xss(text) is None
