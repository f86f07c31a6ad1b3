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


def _reference_b64_text(chunk: str, strict: bool) -> str | None:
    """``_b64_text`` as it was written before the exception-free decode: base64.b64decode, then a raising decode."""
    import base64
    import binascii

    try:
        raw = base64.b64decode(chunk + "=" * (-len(chunk) % 4), validate=True)
        text = raw.decode("utf-8", errors="strict" if strict else "ignore")
    except (binascii.Error, ValueError):
        return None
    if not text or len(text.encode()) < len(raw) - 3:
        return None
    return text if text.translate(str.maketrans("", "", "\r\n\t\x00")).isprintable() else None


@pytest.mark.parametrize(
    "chunk",
    ["application/json", "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg", "eHh4eHh4eHh4eHh4", "x" * 96, "x" * 93,
     "77+9IG9y", "77+9gA", "gICA", "w6k", "w6nDqQ==", "aGVsbG8gd29ybGQ=", "aGVsbG8=gd29y", "é" * 8, "a" * 5, ""],
)
@pytest.mark.parametrize("strict", [True, False])
def test_sniffed_base64_decodes_as_before(chunk: str, strict: bool) -> None:
    from bastion.detection.decode import _b64_text

    # 77+9: a real U+FFFD, alone or next to a byte that is no UTF-8; gICA: only continuation bytes
    assert _b64_text(chunk, strict=strict) == _reference_b64_text(chunk, strict)
