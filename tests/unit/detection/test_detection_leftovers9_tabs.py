"""Unit: a tab between words is a blank like a space (the evasion probe's ``tab_for_space`` on benign values):
a dash after a quote in tabbed prose, a ``+`` in text that has tabs (not form-encoded, so no space), and blanks
sent percent-encoded in a header (``%09``) before a command substitution in a documented command or after a
colon in a title. The attacks that tabs or ``%09`` could carry stay refused.

Values are written for these tests."""

from __future__ import annotations

import pytest

from bastion.detection import Engine
from bastion.detection.rules import Context

QUERY = Context(kind="query", name="q")
AGENT = Context(kind="header", name="user-agent")

ATTACKS = {
    "tabbed_login_cut_off": ("admin\t'--\tx", QUERY),
    "tabbed_tautology": ("1\t'\tor\t1=1\t--\t", QUERY),
    "encoded_tab_script_url": ("javascript:%09alert(1)", AGENT),
    "encoded_space_script_url_call": ("javascript:%20alert%20(1)", AGENT),
    "encoded_tab_before_substitution": ("x%09$(id)", AGENT),
    "form_encoded_command": (";+cat+/etc/passwd", QUERY),
}

BENIGN = {
    "tabbed_dash_in_prose": ("my\tpassword\thas\ta\tquote:\t'\t--\tis\tthat\tok?", QUERY),
    "tabbed_plus_equals_in_prose": ('do\twe\tuse\t"+="\tor\tdo\twe\tjoin\ta\tlist?', QUERY),
    "encoded_tabs_title_after_colon": ("JavaScript:%09Patterns%09for%09Teams", AGENT),
    "encoded_tabs_container_command": ("docker%09run%09--rm%09-v%09$(pwd):/work%09python:3.12", AGENT),
}


@pytest.mark.parametrize(("value", "ctx"), ATTACKS.values(), ids=ATTACKS.keys())
def test_rejects_attacks_with_tabs(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_passes_tabbed_prose_and_documentation(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None
