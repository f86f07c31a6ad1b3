"""Unit: attack shapes first met in HttpParamsDataset (sqlmap boundaries, fuzzdb traversal encodings, old browser XSS
vectors), and benign values of the same look that must pass. Every case goes through the whole engine (decoders,
prefilter, analysers), with other values than the dataset uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

QUERY = Context("query", "name")
BODY = Context("body", "comment")



ATTACKS: dict[str, tuple[str, Context, str]] = {
    # SQL: sqlmap's derived-table boundary (the value closed a subquery and names it) and MySQL's fulltext boundary
    "sqli_alias_where_tautology_then_union": ("7')) as q where 41=41 union all select null,null-- -", QUERY, "sqli"),
    "sqli_alias_where_then_stacked_call": ('7") as zz where 8=8;begin dbms_lock.sleep(3); end--', QUERY, "sqli"),
    "sqli_alias_where_or_error_function": ("7') as t where 3=3 or updatexml(1,concat(0x2e,0x41),1)-- -", BODY, "sqli"),
    "sqli_boolean_mode_then_order_by": ("-77' in boolean mode) order by 3-- -", QUERY, "sqli"),
    "sqli_boolean_mode_then_condition": ("shoes' in boolean mode) and 9=(select count(*) from t1,t2)#", BODY, "sqli"),
    # Traversal: dot-dot written in C hex notation
    "traversal_hex_dots_then_slash": ("/0x2e0x2e/0x2e0x2e/etc/hosts", QUERY, "traversal"),
    "traversal_hex_dots_then_hex_backslash": ("0X2E0X2E0X5Cwindows", QUERY, "traversal"),
    "traversal_dots_then_hex_slash": ("..0x2f..0x2fapp.ini", QUERY, "traversal"),
    # Commands: a binary's absolute path piped into what the application appends
    "cmdi_absolute_binary_then_pipe": ("/bin/uname|", QUERY, "cmdi"),
    "cmdi_usr_bin_binary_then_pipe": ("/usr/bin/whoami|x", BODY, "cmdi"),
    # XSS: Netscape JavaScript entities, JavaScript style sheets, CSS escapes, UTF-7 markup, IE data binding
    "xss_javascript_entity_in_attribute": ('<hr width="&{prompt(7)}">', QUERY, "xss"),
    "xss_style_typed_javascript": ('<style type="text/javascript">tags.p.color=x</style>', BODY, "xss"),
    "xss_css_escaped_import": ("<style>@imp\\ort 'https://evil.example/a.css';</style>", BODY, "xss"),
    "xss_utf7_script_tag": ("+ADw-script+AD4-prompt(9)+ADw-/script+AD4-", QUERY, "xss"),
    "xss_data_binding_as_html": ('<div datasrc=#d datafld=f dataformatas="HTML"></div>', BODY, "xss"),
}


@pytest.mark.parametrize(("value", "ctx", "rule"), ATTACKS.values(), ids=ATTACKS.keys())
def test_httpparams_shape_is_blocked(engine: Engine, value: str, ctx: Context, rule: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == rule


BENIGN: dict[str, tuple[str, Context]] = {
    "alias_in_prose": ("Sold 'as is' where stated", BODY),
    "boolean_mode_in_docs": ("search the 'title' column in boolean mode", BODY),
    "hex_literal_single_dot": ("separator byte 0x2e", BODY),
    "hex_codes_list": ("0x2e, 0x2f and 0x5c are '.', '/' and '\\'", BODY),
    "documented_pipe_with_spaces": ("/usr/bin/env | grep PATH", BODY),
    "unknown_binary_path_then_pipe": ("/opt/app|beta", QUERY),
    "plain_style_element": ("<style>p { color: #c00 }</style>", BODY),
    "css_hex_escape_content": ('<style>li::before { content: "\\2022" }</style>', BODY),
    "plus_ad_words": ("tickets +AD-2024 +adw", QUERY),
    "spanish_address": ("c/ mayor 12, 3?b", QUERY),
    "card_number": ("4539148803436467", QUERY),
}


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_benign_value_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None
