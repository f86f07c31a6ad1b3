"""Unit: values made of one repeated unit that session 18's probe (``bench/waf/worst_case.py`` with more tokens) found
slow. ``xi:include<`` repeated was quadratic: ``_XXE``'s ``<\\w+:include\\b[^>]*\\bhref`` ran from every ``<xi:include``
to the value's end when no ``>`` closed it (16 KiB took 5 s, 128 KiB minutes); an attribute list ends at the next
``<`` as well now. ``)(&`` repeated made ``php_code._constructed_call`` search every run of its 160-character window
once per candidate ``(``; it resumes from the last run now, and a callee of quotes and brackets alone (``'(``
repeated) is passed over with one ``str.strip``. ``9 union select pw as x, 1 from `` repeated (fresh62's helper, session
19) made ``sqli_grammar.union_select`` copy the rest of the token list at every ``union`` (0.13 s at 64 KiB, 0.67 s
at 128 KiB); ``select_list`` reads three tokens, and now gets three. Values are our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")


@pytest.mark.parametrize("unit", ["xi:include<", "<xi:include ", ")(&", "*)(", ")(", "'(", "$f(n)$ ",
                                  "9 union select pw as x, 1 from ", "union (select "])
def test_repeated_unit_is_read_in_linear_time(inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    """Doubling the value from 64 to 128 KiB at most doubles the time (with slack for a busy machine)."""
    half = unit * (64 * 1024 // len(unit))  # whole units: a cut unit ends the value differently (session 18:
    # '&#59;' cut at 128 KiB ended in '#', at 64 KiB in '&', and only the '#' ending runs cmd_breakouts' scan)
    whole = half + half
    assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05
    assert inspect_seconds(whole, BODY) < 5.0


@pytest.mark.parametrize("value", [
    '<xi:include href="file:///etc/passwd" parse="text"/>',
    '<root xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/hostname"/></root>',
    '<x:include parse="text"\n   href="http://169.254.169.254/latest/meta-data/"/>',
])
def test_xinclude_with_href_is_still_refused(engine: Engine, value: str) -> None:
    found = engine.inspect(value, BODY)
    assert found is not None and found.rule.attack == "xxe"


@pytest.mark.parametrize("value", [
    "(\"sys\".\"tem\")('id');",
    "$f='sys'.'tem';($f)('id');",
    "[system][0]('id');",
])
def test_constructed_php_calls_are_still_refused(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is not None
