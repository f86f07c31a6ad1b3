"""Unit: decoders — every form a value may take on its way to an interpreter."""

from __future__ import annotations

import pytest

from bastion.detection.decode import base64_text, js_unescape, needs_decoding, percent_decode, variants

CASES = {
    "percent": ("%3Cscript%3E", "<script>"),
    "double_percent": ("%253Cscript%253E", "<script>"),
    "iis_percent_u": ("%u003Cscript%u003E", "<script>"),
    "js_unicode_escape": ("\\u003cscript\\u003e", "<script>"),
    "js_hex_escape": ("\\x3cscript\\x3e", "<script>"),
    "js_code_point_escape": ("\\u{3c}script\\u{3e}", "<script>"),
    "html_named_entities": ("&lt;script&gt;", "<script>"),
    "html_numeric_entities": ("&#60;script&#x3e;", "<script>"),
    "overlong_utf8_dot_slash": ("%c0%ae%c0%ae%c0%af", "../"),
    "fullwidth_angle_brackets": ("\uff1cscript\uff1e", "<script>"),
    "enclosed_digits": ("\u2460\u2461\u2466", "127"),
    "nul_byte_removed": ("sel\x00ect", "select"),
}


@pytest.mark.parametrize(("raw", "decoded"), CASES.values(), ids=CASES.keys())
def test_variants_reach_the_decoded_form(raw: str, decoded: str) -> None:
    forms = variants(raw)
    assert forms[0] == raw
    assert forms[-1] == decoded


def test_plain_ascii_needs_no_decoding() -> None:
    assert not needs_decoding("hello world, 19.99")
    assert needs_decoding("caf\u00e9") and needs_decoding("a%20b") and needs_decoding("a&amp;b")


def test_decoding_rounds_are_bounded() -> None:
    deep = "<"
    for _ in range(10):
        deep = deep.replace("%", "%25") if "%" in deep else "%3C"
    assert len(variants(deep)) <= 5


def test_base64_text_only_for_text() -> None:
    assert base64_text("PHNjcmlwdD4=") == "<script>"
    assert base64_text("PHNjcmlwdD4") == "<script>"  # padding optional
    assert base64_text("not base64!") is None
    assert base64_text("AAECAwQFBgcICQ==") is None  # binary


def test_single_decoders() -> None:
    assert percent_decode("a%20b%u0041") == "a bA"
    assert js_unescape("\\ud800") == "\ufffd"  # lone surrogate never produced


def test_the_percent_decoded_form_is_judged_before_entities_are_read_into_it() -> None:
    """A server percent-decodes a query or cookie value once and reads no HTML entities: ``%26quote`` is ``&quote``
    to it. One decoding step also read ``&quote`` as the entity ``&quot`` (HTML5 accepts it without ``;``), so the
    form the application sees was never judged (fresh27's ``alias "quote"=curl&quote …`` in a cookie)."""
    from bastion.detection.decode import variants

    forms = variants("alias%20%22q%22%3Dwget%26quote%20x")
    assert forms[:2] == ["alias%20%22q%22%3Dwget%26quote%20x", 'alias "q"=wget&quote x']
    assert 'alias "q"=wget"e x' in forms
    assert variants("a%20b") == ["a%20b", "a b"]  # no '&' after percent-decoding: no extra form
