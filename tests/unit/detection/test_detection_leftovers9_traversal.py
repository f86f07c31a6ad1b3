"""Unit: Unix system files spelled with backslashes (``\\etc\\shadow``, ``\\proc\\self\\cmdline``), which a resolver
that turns ``\\`` into ``/`` (Spring's ``StringUtils.cleanPath``, many upload and static-file handlers) opens as the
real file; plus pins for dot-dot traversal with backslashes and encodings, and for SSRF and string-sink leads that
were already caught. Windows paths that merely hold a folder named ``etc`` or ``proc`` pass.

Values are written for these tests."""

from __future__ import annotations

import pytest

from bastion.detection import Engine
from bastion.detection.rules import Context

QUERY = Context(kind="query", name="file")
NOTE = Context(kind="body", name="note")
URL_FIELD = Context(kind="body", name="webhook_url")

ATTACKS = {
    "backslash_etc_shadow": ("\\etc\\shadow", QUERY),
    "backslash_proc_self_cmdline": ("\\proc\\self\\cmdline", NOTE),
    "encoded_backslash_etc_group": ("%5cetc%5cgroup", QUERY),
    "double_encoded_backslash_proc_environ": ("%255cproc%255c1%255cenviron", QUERY),
    # pins: caught before this change
    "dotdot_backslash_win_ini": ("..\\..\\..\\winnt\\win.ini", QUERY),
    "dotdot_encoded_backslash_app_file": ("..%5c..%5cconf%5capp.ini", QUERY),
    "dotdot_overlong_slash": ("..%c0%af..%c0%afvar%c0%aflog", QUERY),
    "userinfo_loopback": ("http://ops:hunter2@127.0.0.1:9000/", URL_FIELD),
    "userinfo_metadata": ("http://x@169.254.169.254/latest/", URL_FIELD),
    "set_interval_string_breakout": ('";setInterval("alert(7)",99);//', QUERY),
    "set_timeout_in_handler": ("<img src=y onerror=setTimeout('prompt(2)')>", NOTE),
}

BENIGN = {
    "windows_folder_named_etc": ("C:\\Program Files\\etc\\notes.txt", NOTE),
    "team_path_with_proc": ("proc\\team\\lead", QUERY),
    "git_userinfo_external": ("https://deploy@git.example.org/team/repo.git", URL_FIELD),
    "timers_in_prose": ("Use setTimeout to debounce the input, not setInterval.", NOTE),
}


@pytest.mark.parametrize(("value", "ctx"), ATTACKS.values(), ids=ATTACKS.keys())
def test_rejects_backslash_system_files_and_pinned_leads(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_passes_windows_paths_and_prose(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None
