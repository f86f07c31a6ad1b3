"""Unit: CRLF and LDAP shapes of the fresh14 first contact. Where a value is written into a URL, a header or a
cookie (and in keys), a one-token first line, a line break, then any ``Name:`` line is a header of its own, not
only a standard field; so, anywhere, is the line after a first line that is one URL. Free-text body fields keep the
standard-field list, so multi-line notes with ``Label: value`` lines pass. U+560D U+560A (low bytes CR LF) before a
``Name:`` line counts anywhere. In LDAP, a closing parenthesis then NUL truncates the filter, and a whole value
``(**word**`` is an error probe. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.signatures import crlf, ldapi

BODY = Context("body", "comment")
KEY = Context("body", "labels", is_key=True)
QUERY = Context("query", "ref")
PATH = Context("path", "")
HEADER = Context("header", "x-trace-note")
COOKIE = Context("cookie", "prefs")
ENGINE = Engine()

INJECTED: dict[str, tuple[str, Context]] = {
    "query_crlf_custom_field": ("abc\r\nX9-Probe: on", QUERY),
    "query_lf_custom_field_no_space": ("\nTrackme:77", QUERY),
    "path_crlf_custom_field": ("item\r\nInjected-Line: yes", PATH),
    "header_percent_crlf_custom_field": ("v1%0d%0aMyheader: 5", HEADER),
    "cookie_cr_only_custom_field": ("dark%0dZzfield: q", COOKIE),
    "json_key_crlf_custom_field": ("\r\nFoo-Bar: 12", KEY),
    "body_url_then_custom_field": ("https://shop.example/back\r\nScanner: 1.0 build", BODY),
    "body_url_lf_then_custom_field": ("http://cdn.shop.example/a?b=c\nServer-Note: x", BODY),
    "body_lookalike_pair_custom_field": ("\u560d\u560aInjected: 9", BODY),
    "body_lookalike_pair_after_text": ("ok\u560d\u560aTrace-Me: abc", BODY),
    "body_lookalike_escape": ("\\u560d\\u560aProbe: 42", BODY),
    "query_lookalike_percent": ("%E5%98%8D%E5%98%8AExtra: 1", QUERY),
    "header_lookalike_escape": ("\\u560D\\u560AHdr: z", HEADER),
}


@pytest.mark.parametrize("name", sorted(INJECTED))
def test_header_line_injection_is_refused(name: str) -> None:
    value, ctx = INJECTED[name]
    found = ENGINE.inspect(value, ctx)
    assert found is not None and found.rule.attack == "crlf", name


def test_standard_fields_still_count_in_body() -> None:
    assert crlf("hello\r\nSet-Cookie: a=1", BODY) is not None
    assert crlf("x\n\u4e0d\u4e0aLocation: //e.example", BODY) is not None


MULTI_LINE_TEXT: dict[str, tuple[str, Context]] = {
    "address_with_labels": ("Acme GmbH\nAttn: Jana Novak\nPhone: +49 30 1234567", BODY),
    "crlf_note_with_total": ("Three boxes\r\nTotal: 5\r\nNote: fragile", BODY),
    "note_starting_with_label": ("\r\nReminder: call back", BODY),
    "url_then_prose_line": ("https://docs.example/setup\nsee the second section for proxies", BODY),
    "url_then_another_url": ("https://a.example/x\nhttps://b.example/y", BODY),
    "urls_in_query_list": ("https://a.example/1\nhttps://b.example/2", QUERY),
    "query_windows_path_lines": ("first\nC:\\data\\in.csv", QUERY),
    "query_cpp_scope": ("call\nstd::sort(v)", QUERY),
    "query_time_after_break": ("Mon\n12:30", QUERY),
    "chinese_with_lookalike_chars": ("\u5c0f\u560d\u56c9\u5011\u90fd\u8d70\u4e86\uff0c\u72d7\u5728\u560a\u53eb", BODY),
    "chinese_bu_shang_then_ascii_label": ("\u8ddf\u4e0d\u4e0aPython: \u5165\u95e8", QUERY),
    "lookalike_pair_then_prose": ("\u560d\u560a is a rare pair", BODY),
    "json_key_plain_label": ("Shipping: express", KEY),
    "query_textarea_with_labels": ("Weekly sync\r\nAgenda: budget\r\nOwner: Kim", QUERY),
    "header_label_first_line": ("Status:\nDone: yes", HEADER),
    "json_key_sentence_then_label": ("Gift wrap\nColour: red", KEY),
    "query_yaml_front_matter": ("---\nlayout: post\ndraft: true", QUERY),
    "cookie_hash_comment_then_yaml": ("#note\nstatus: open", COOKIE),
    "header_code_fence_yaml": ("```yaml\nsteps:\n  - run: make", HEADER),
    "query_yaml_key_without_value": ("jobs\nbuild:\n  x: 1", QUERY),
}


@pytest.mark.parametrize("name", sorted(MULTI_LINE_TEXT))
def test_multi_line_text_passes(name: str) -> None:
    value, ctx = MULTI_LINE_TEXT[name]
    assert ENGINE.inspect(value, ctx) is None, name


TRUNCATION: dict[str, tuple[str, Context]] = {
    "close_close_nul": ("bob))\x00", QUERY),
    "nul_then_tail": ("))\x00trailing", BODY),
    "wildcard_close_nul": ("*)\x00rest", QUERY),
    "percent_nul_in_header": ("svc)%00", HEADER),
    "percent_nul_in_cookie": ("*)%00x", COOKIE),
    "encoded_paren_nul_in_cookie": ("ab%29%00", COOKIE),
    "close_nul_in_path": ("grp)\x00", PATH),
    "error_probe": ("(**zz9**", QUERY),
    "error_probe_in_key": ("(**name**", KEY),
}


@pytest.mark.parametrize("name", sorted(TRUNCATION))
def test_filter_truncation_is_refused(name: str) -> None:
    value, ctx = TRUNCATION[name]
    found = ENGINE.inspect(value, ctx)
    assert found is not None and found.rule.attack == "ldapi", name


def test_ldapi_names_nul_truncation() -> None:
    assert ldapi("a)\x00", BODY) is not None
    assert ldapi("(**x**", BODY) is not None


PARENTHESES: dict[str, tuple[str, Context]] = {
    "markdown_bold_in_parens": ("Ships today (**express** only)", BODY),
    "bold_in_parens_whole": ("(**express**)", BODY),
    "python_kwargs": ("f(**kwargs)", QUERY),
    "ldap_prose": ("The filter (uid=jdoe) matches one entry; use (cn=*) for all.", BODY),
    "closing_paren_end": ("Alice (admin)", QUERY),
    "phone_with_parens": ("(030) 1234-567", BODY),
    "double_star_footnote": ("price**", BODY),
}


@pytest.mark.parametrize("name", sorted(PARENTHESES))
def test_parenthesised_text_passes(name: str) -> None:
    value, ctx = PARENTHESES[name]
    assert ENGINE.inspect(value, ctx) is None, name


def test_new_rules_stay_linear() -> None:
    values = [
        ("a\r" * 40_000 + "b", QUERY),
        ("\n" + "x" * 100_000 + " :", QUERY),
        ("http://" + "a" * 100_000 + "\n", BODY),
        ("\u560d" * 50_000 + "\u560a" * 50_000, BODY),
        ("(**" * 40_000, QUERY),
        (")" * 100_000, BODY),
    ]
    for value, ctx in values:
        start = time.process_time()
        crlf(value, ctx)
        ldapi(value, ctx)
        assert time.process_time() - start < 0.5
