"""Unit: shapes first met in the injected values of real exploit requests (nuclei-templates CVE and vulnerability
templates, split fresh10): the attacks each rule must block, and the benign values of the same look it must let
through. Every case goes through the whole engine (decoders, prefilter, analysers), with other values than the
corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-client-info")



ATTACKS: dict[str, tuple[str, Context]] = {
    # a dialog call opened as a block; framework event directives in place of on* handlers
    "sink_call_in_a_block": ("{prompt(document.cookie)}", QUERY),
    "angular_click_directive": ('<a ng-click="$event.view.confirm(7)">go</a>', BODY),
    "angular_init_with_data_prefix": ('<div data-ng-init="x=1">', BODY),
    "vue_event_directive": ('<img v-on:load="fetch(1)" src=x>', BODY),
    # commands: the reversed-echo proof, arithmetic probes for sh and cmd.exe
    "reversed_echo_marker": ("echo zq81-probe | rev", QUERY),
    "reversed_echo_inside_sh_c": ("bash -c 'echo n0tice | rev'", BODY),
    "echo_of_a_base64_constant_decoded": ('echo "bm90aWNlX21l" | base64 --decode', QUERY),
    "expr_arithmetic_probe": ("expr 4411 * 9023", QUERY),
    "cmd_set_a_arithmetic_probe": ("SET /a (7331+19)*3", HEADER),
    # code that runs a command: Java's process API from an expression, PHP eval of decoded text, a magic-method override
    "java_runtime_exec_from_mvel": ('script::java.lang.Runtime.getRuntime().exec("uname")', BODY),
    "ognl_static_runtime": ("%{@java.lang.Runtime@getRuntime().exec('hostname')}", BODY),
    "nashorn_process_builder": ('p = new java.lang.ProcessBuilder("ls").start();', BODY),
    "freemarker_execute_from_ognl": ('(new freemarker.template.utility.Execute()).exec({"hostname"})', BODY),
    "php_eval_of_gzinflate": ("x=>eval(gzinflate(base64_decode($p)));", BODY),
    "php_assert_of_rot13": ("assert(str_rot13('flfgrz(vq);'))", QUERY),
    "thinkphp_method_override_to_constructor": ("_method=__construct&filter[]=system&method=get", BODY),
    # SQL Server calls with no breakout; a SELECT of two numbers as the statement
    "tsql_fn_sqlvarbasetostr": ("7 union select sys.fn_varbintohexstr(hashbytes('SHA1','q'))", QUERY),
    "tsql_convert_type_first": ("UPPER(CONVERT(NVARCHAR(40),HASHBYTES('SHA2_256','abc'),2))", BODY),
    "select_of_a_product": ("select 73311*2291", QUERY),
    "select_of_a_sum_inside_xml": ('<q type="text"> SELECT 8812+4410 </q>', BODY),
    # a JMX URL that makes the server resolve a JNDI name
    "jmx_service_url_with_jndi_name": ("service:jmx:rmi:///jndi/rmi://10.9.8.7:1099/jmxrmi", BODY),
    # a SpEL type reference calling a static method with no #{…} around it
    "spel_type_reference_in_a_header": ('T(java.lang.System).getenv("HOME")', HEADER),
    # an out-of-band interaction host with no scheme, in a field and in a forged cookie string
    "bare_interaction_host": ("q9w8e7r6.oast.live", BODY),
    "interaction_host_in_a_cookie_string": ("backend=zz11.interact.sh/ecp/x.flt?~3;", HEADER),
    # mod_proxy's Unix-socket target
    "mod_proxy_unix_socket_target": ("unix:/run/php/fpm.sock|http://backend.invalid/", QUERY),
    # a run of dots glued to a system file
    "dots_glued_to_etc_shadow": ("/........etc/shadow", QUERY),
    "dots_glued_to_windows_ini": ("........winnt/win.ini", QUERY),
}


RULES: dict[str, str] = {
    "sink_call_in_a_block": "xss",
    "angular_click_directive": "xss",
    "angular_init_with_data_prefix": "xss",
    "vue_event_directive": "xss",
    "reversed_echo_marker": "cmdi",
    "reversed_echo_inside_sh_c": "cmdi",
    "echo_of_a_base64_constant_decoded": "cmdi",
    "expr_arithmetic_probe": "cmdi",
    "cmd_set_a_arithmetic_probe": "cmdi",
    "java_runtime_exec_from_mvel": "cmdi",
    "ognl_static_runtime": "cmdi",
    "nashorn_process_builder": "cmdi",
    "freemarker_execute_from_ognl": "cmdi",
    "php_eval_of_gzinflate": "cmdi",
    "php_assert_of_rot13": "cmdi",
    "thinkphp_method_override_to_constructor": "cmdi",
    "tsql_fn_sqlvarbasetostr": "sqli",
    "tsql_convert_type_first": "sqli",
    "select_of_a_product": "sqli",
    "select_of_a_sum_inside_xml": "sqli",
    "jmx_service_url_with_jndi_name": "jndi",
    "spel_type_reference_in_a_header": "ssti",
    "bare_interaction_host": "ssrf",
    "interaction_host_in_a_cookie_string": "ssrf",
    "mod_proxy_unix_socket_target": "ssrf",
    "dots_glued_to_etc_shadow": "traversal",
    "dots_glued_to_windows_ini": "traversal",
}
"""The class each attack is reported as (Java and PHP code that runs a command is command injection)."""


@pytest.mark.parametrize(("name", "value", "ctx"), [(k, *v) for k, v in ATTACKS.items()], ids=ATTACKS.keys())
def test_fresh10_shape_is_blocked(engine: Engine, name: str, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == RULES[name]


BENIGN: dict[str, tuple[str, Context]] = {
    # braces, Angular-looking markup and words that only resemble the new rules
    "braced_word_alert": ("{alert level: high}", BODY),
    "angular_class_name": ('<div class="ng-hide">text</div>', BODY),
    "angular_model_binding": ('<input ng-model="user.name">', BODY),
    "set_in_a_sentence": ("set /a list of options aside", BODY),
    "expr_as_a_word": ("expr of interest 2", QUERY),
    "echo_then_pipe_to_a_filter_in_docs": ("echo $TOKEN | base64", BODY),
    "echo_of_a_variable_decoded_in_docs": ("echo $SECRET_VALUE | base64 -d", BODY),
    "revenue_share_pipe": ("north | rev share 2024", BODY),
    "method_override_to_patch": ("_method=PATCH&name=Alice", BODY),
    "php_eval_of_a_variable": ("$engine->eval(base64_decode($cfg))", BODY),
    "java_runtime_memory_call": ("Runtime.getRuntime().totalMemory()", BODY),
    "convert_in_prose": ("convert (varchar) fields to text before export", BODY),
    "select_of_two_items": ("select 2 items from the list", QUERY),
    "select_a_size": ("select 10 x 20 cm", QUERY),
    "jmx_url_without_jndi": ("service:jmx:rmi://monitor.example.com:9010/jmxrmi", BODY),
    "unix_time_label": ("unix:1700000000", QUERY),
    "version_with_two_dots": ("release..etc", QUERY),
    "interaction_service_named_in_prose": ("we use interact.sh in our pentests", BODY),
    "a_letter_t_then_a_package": ("T (javax.inject) is the annotation package", BODY),
}


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_benign_value_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None
