"""Unit: a value that opens with a line break, then a command whose line a bare ``#`` comments out (``\\nsleep 7 #``)
or that takes the filesystem root itself as its last argument (``\\nrm -rf /``) — leads of the session-8 evasion
probe. A runbook line after a line break stays data, with or without a note after ``#``.

Attack shapes must be rejected, the benign look-alikes must pass; values are written for these tests."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Engine
from bastion.detection.rules import Context

QUERY = Context(kind="query", name="q")
NOTE = Context(kind="body", name="note")

ATTACKS = {
    "newline_sleep_commented_out": ("\nsleep 7 #", QUERY),
    "newline_probe_form_with_comment": ("\nsleep 4 # wait here", NOTE),
    "value_newline_identity_commented_out": ("31\nid #", QUERY),
    "newline_listing_commented_out": ("\nls -l /srv/app #", NOTE),
    "newline_wipe_root": ("\nrm -rf /", QUERY),
    "newline_wipe_everything_under_root": ("\nrm -fr /*", NOTE),
    "newline_chmod_root": ("\nchmod -R 777 / ", QUERY),
    "newline_no_preserve_root": ("\nrm -r --no-preserve-root /srv", NOTE),
}

BENIGN = {
    # decided: a runbook line naming a folder under the web root is data after a leading line break
    "newline_listing_of_web_app_folder": ("\nls -la /var/www/html", NOTE),
    "newline_listing_with_note_comment": ("\nls -la   # list what is there", NOTE),
    "newline_sleep_in_prose": ("\nsleep 8 hours a night helps", NOTE),
    "newline_type_slash_category": ("\ntype / category: shoes", NOTE),
    "newline_markdown_heading_then_command": ("\n# install\nnpm ci", NOTE),
}


@pytest.mark.parametrize(("value", "ctx"), ATTACKS.values(), ids=ATTACKS.keys())
def test_rejects_commands_after_a_leading_line_break(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_passes_runbook_lines_and_notes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None


@pytest.mark.parametrize("unit", ["\nsleep 1 #", "\nrm -rf / ", "\nsleep 2 # x"])
def test_commented_and_root_lines_stay_linear_on_128_kib(engine: Engine, unit: str) -> None:
    value = (unit * (128 * 1024 // len(unit) + 1))[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, NOTE)
    assert time.process_time() - start < 2.0
