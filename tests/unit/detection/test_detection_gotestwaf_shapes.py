"""Unit: attack shapes and encodings first met in GoTestWAF's test cases (split fresh4), a few fresh3 leftovers
fixed in the same round, and the benign values each new rule must let through. Every case goes through the
whole engine (decoders, prefilter, analysers)."""

from __future__ import annotations

import base64

import pytest

from bastion.detection import Context, Engine
from bastion.detection.decode import sniff_base64, variants
from bastion.detection.fields import body_fields

BODY = Context("body", "note")
PATH = Context("path")
QUERY = Context("query", "q")
DOC = Context("document")



def b64flat(text: str) -> str:
    return base64.b64encode(text.encode()).decode().replace("=", "")


ATTACKS: dict[str, tuple[str, Context, str]] = {
    # unmarked base64 (GoTestWAF's Base64Flat encoder)
    "base64_flat_xss": (b64flat("<script>alert(1)</script>"), BODY, "xss"),
    "base64_flat_sqli": (b64flat("' or 1=1--"), QUERY, "sqli"),
    "base64_flat_short_mail_command": (b64flat("\r\nQUIT\r\n"), BODY, "crlf"),
    "base64_flat_in_path_segments": ("/" + b64flat("/static/img/../../etc/passwd"), PATH, "traversal"),
    "base64_plus_read_as_space_by_form_decoder": (b64flat("<svg onload=alert(1)>").replace("+", " "), BODY, "xss"),
    "base64_with_nul_in_text": (b64flat("<<scr\x00ipt/src=http://x.example/x.js></script"), BODY, "xss"),
    # '+' read as a space by one more round of form decoding
    "plus_as_space_command": (";+$u+cat+/etc$u/passwd$u", BODY, "traversal"),
    "plus_as_space_markup": ("<marquee+loop=1+onfinish='alert(1)'>", BODY, "xss"),
    "plus_as_space_after_nfkc_space": ("%60x%C2%B4%3B+%3Cimg+src='null'+onerror=alert(1)%3E", BODY, "xss"),
    # SQL
    "sqli_union_select_signed_number": ('"union select -7431.1, name, @aaa from u_base--w-', BODY, "sqli"),
    "sqli_union_select_concat_expression": ("' UNION SELECT username || ':' || password FROM users", BODY, "sqli"),
    "sqli_glued_select_from_number": ("SELECT-1e1FROM`test`", BODY, "sqli"),
    "sqli_glued_select_from_null": ("SELECT\\NFROM`test`", BODY, "sqli"),
    "sqli_union_split_by_empty_comments": ("/**/UN/**/ION/**/SEL/**/ECT/**/password", BODY, "sqli"),
    "sqli_union_split_by_angle_pair": ('"un<>ion sel<>ect"', BODY, "sqli"),
    "sqli_select_from_dual": ("\n\r select user from dual \n\r", BODY, "sqli"),
    # XSS
    "xss_sink_call_method": ("confirm.call(null,1)", BODY, "xss"),
    "xss_sink_apply": ("alert.apply(null, [1])", BODY, "xss"),
    "xss_parenthesised_sink": ("(alert)(1)", BODY, "xss"),
    "xss_optional_call": ("alert?.(document?.cookie)", BODY, "xss"),
    "xss_eval_atob": ("eval(atob('YWxlcnQoKQ=='))", BODY, "xss"),
    "xss_document_cookie_bracket": ("document['cookie']", BODY, "xss"),
    "xss_string_concat_sink": ("eval('al'+'ert'+'(12)');//", BODY, "xss"),
    "xss_breakout_then_catch": ('"])}catch(e){if(!this.x)alert(document.domain),this.x=1}//', BODY, "xss"),
    "xss_handler_after_slash_value": ("<img/src=x/onerror=xxx", BODY, "xss"),
    "xss_handler_calls_sink_unquoted": ("> src onerror=confirm(1)<", BODY, "xss"),
    "xss_tag_stripping_reassembles_handler": ('\\"autof<x>ocus o<x>nfocus=alert<x>(1)//', BODY, "xss"),
    "xss_script_url_regex_source": ('<ahref="javascript:window[/alert/.source]()">x</a>', BODY, "xss"),
    "xss_script_url_with_tabs": ("<iframe src=java&Tab;sc&Tab;ript:al&Tab;ert()></iframe>", BODY, "xss"),
    # commands and other runtimes
    "cmdi_yaml_python_object": ("!!python/object/new:exec [import socket]", BODY, "cmdi"),
    "cmdi_cmd_exe_set_arithmetic": ("| set /a 3482*7301", BODY, "cmdi"),
    "cmdi_vbscript_concat_execute": ('Ev al ("Ex"&"e"&"cute(""Server.ScriptTimeout=3600:On Error Resume Next:x")', BODY,
                                     "cmdi"),
    "traversal_glob_to_passwd": ("/???/??t+/???/??ss??", BODY, "traversal"),
    "traversal_glob_in_command": ("cat /etc/pa?swd", BODY, "traversal"),
    # other classes
    "ldap_extensible_match": ("userPassword:2.5.13.18:=123", BODY, "ldapi"),
    "ssti_server_side_include_exec": ('<!--#exec cmd="ls" -->', BODY, "ssti"),
    "ssti_server_side_include_echo": ('<!--#echo var="DOCUMENT_URI" -->', BODY, "ssti"),
    "crlf_smtp_rcpt": ("\nRCPT TO: test@evil.com\n", BODY, "crlf"),
    "crlf_imap_tagged_command": ("\r\nV100 CAPABILITY\r\nV101 FETCH 4791", BODY, "crlf"),
    "nosql_mongo_shell_write": ("db.injection.insert({success:1});", BODY, "nosqli"),
    "proto_in_query_string_text": ("?__proto__[CLOSURE_BASE_PATH]=data:,alert(1)//", BODY, "proto"),
    "xxe_utf7_declaration": ('<?xml version="1.0" encoding="UTF-7"?>\n+ADwAIQ-DOCTYPE foo', DOC, "xxe"),
    # fresh3 leftovers (CRS regression cases), same round
    "sqli_number_alias_from": ('1234 AS "foobar" FROM table', BODY, "sqli"),
    "sqli_leading_values_row": ("VALUES ('192.168.0.1', 'test')", BODY, "sqli"),
    "cmdi_find_exec_on_secret": ("find /etc -name passwd -exec cat {} +", BODY, "cmdi"),
    "cmdi_adjacent_backtick_substitutions": ("`cut crs312``dig 34test`", BODY, "cmdi"),
}


@pytest.mark.parametrize(("value", "ctx", "rule"), ATTACKS.values(), ids=ATTACKS.keys())
def test_gotestwaf_shape_is_blocked(engine: Engine, value: str, ctx: Context, rule: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == rule


BENIGN: dict[str, tuple[str, Context]] = {
    "jwt": ("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1LTEiLCJzY29wZSI6Im9yZGVyczpyZWFkIn0.c2ln", BODY),
    "base64_of_a_sentence": (b64flat("Please leave the parcel with the neighbour at no. 12"), BODY),
    "base64_png_header": ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
                          "AAAABJRU5ErkJggg==", BODY),
    "sha256_hex": ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", BODY),
    "api_key": ("k_live_3f9a8b7c6d5e4f3a2b1c", BODY),
    "prose_without_punctuation": ("Please deliver after 5pm today", BODY),
    "plus_in_email": ("john+or@var.es", BODY),
    "plus_in_language_name": ("C++/CLI", BODY),
    "plus_arithmetic": ("1+1=2", BODY),
    "search_url_with_sql_words": ("https://www.google.com/search?q=%22union+select%22+meaning", BODY),
    "mongo_read_in_snippet": ("const u = await db.users.findOne({ _id: id });", BODY),
    "markup_with_bare_tags": ("<b>Bold</b> and <i>italic</i> text", BODY),
    "prose_with_dual": ("select the dual-band router from the list", BODY),
    "alert_in_prose": ("Please confirm (by email) and alert me when it ships", BODY),
    "glob_in_build_config": ("src/**/*.py", BODY),
    "glob_everything": ("/*/*", BODY),
    "quit_in_prose": ("Thanks!\nquit smoking\ndata follows", BODY),
    "number_as_prose_from": ('42 as "answer" from the book', BODY),
    "values_heading_in_prose": ("Values (core): honesty, care", BODY),
    "dual_as_company_name": ("We ship from Dual Inc.", BODY),
    "select_from_dual_rooms_prose": ("Please select from Dual or Single rooms", BODY),
    "find_exec_in_docs": ("find . -type f -exec chmod 644 {} \\;", BODY),
    "markdown_double_backtick_code": ("Use ``code`` and ``more``", BODY),
}
GOTESTWAF_FALSE_POSITIVE_TEXTS = ("union was a great select", "h2<h1", "D'or 1st parfume", "1) a-b=c", "john+or@var.es",
                                  "exec noun", "bash away in the gym", "JavaScript: Basics of JavaScript Language",
                                  "ls 300 lexus", "nc 8000 controller")
BENIGN.update({f"gotestwaf_false_positive_text_{i}": (t, BODY) for i, t in enumerate(GOTESTWAF_FALSE_POSITIVE_TEXTS)})
BENIGN.update({f"gotestwaf_false_positive_text_{i}_base64": (b64flat(t), QUERY)
               for i, t in enumerate(GOTESTWAF_FALSE_POSITIVE_TEXTS)})


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_benign_value_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None


def test_random_base64_is_not_read_as_text(engine: Engine) -> None:
    """Keys and ids: base64 of random bytes (a fixed pseudo-random stream) is neither text nor blocked."""
    state = 12345
    for length in range(8, 48):
        raw = bytearray()
        for _ in range(length):
            state = (state * 1103515245 + 12345) % 2**31
            raw.append(state >> 16 & 0xFF)
        token = base64.b64encode(bytes(raw)).decode()
        assert engine.inspect(token, BODY) is None, token


def test_sniff_base64_requires_text() -> None:
    assert sniff_base64(b64flat("<script>alert(1)</script>")) == "<script>alert(1)</script>"
    assert sniff_base64("short") is None
    assert sniff_base64(base64.b64encode(bytes(range(200))).decode()) is None


def test_plus_variant_only_without_spaces_and_outside_urls() -> None:
    assert variants("a+b")[-1] == "a b"
    assert variants("a+b c") == ["a+b c"]
    assert variants("https://x.example/?q=a+b") == ["https://x.example/?q=a+b"]


def test_multipart_with_bare_lf_line_ends_is_parsed() -> None:
    body = b'--b1\nContent-disposition: form-data; name="/static/img/../../etc/passwd"\n\nTest\n--b1--\n'
    fields = list(body_fields(body, "multipart/form-data; boundary=b1"))
    assert ("/body/~1static~1img~1..~1..~1etc~1passwd", "/static/img/../../etc/passwd") in [
        (p, v) for p, v, _ in fields
    ]


def test_untyped_markup_body_is_inspected_as_text() -> None:
    fields = list(body_fields(b"<script>aaa</script>", ""))
    assert ("/body", "<script>aaa</script>") in [(p, v) for p, v, ctx in fields if ctx.kind == "body"]
