"""Unit: the shapes of the fresh66 first contact (OWASP OFFAT's injection payloads against herepy's recorded HERE
location API answers).

Fixed: a constant ``return`` statement after a number that fills a ``$where`` clause's numeric slot
(``0;return true``: ``this.age == `` + value) (``signatures._LEADING_RETURN``, and its prefilter trigger). Left
missed: a bare ``ls -la`` (a runbook line, as ``cmd_lone`` keeps listings without a system path) and a quoted
string piped to a template filter (``{{'x' | upper}}``: how Angular templates write translations). Left as false
positives: URLs to EC2 private DNS names (``http://ip-10-….compute.internal:8080/…``) the HERE transit API leaked
into its answers: internal hosts, refused as SSRF. Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from shape_tables import shape_tests

from bastion.detection import Context

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]


REJECTED = {
    "a constant return after a number in a $where slot": [
        "0;return true",
        "1; return false;",
        "-1;return(1)",
        "42 ; return !0",
        "7;return !!true;",
    ],
}

PASSED = {
    "numbers, semicolons and the word return in text": [
        "0; return the book",
        "10; return true if ok",
        "Step 1; return to start",
        "2;return tomorrow",
        "Items: 3; returns accepted",
        "1;2;3 return",
    ],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


@pytest.mark.parametrize("unit", ["0;return true", "1;return ", "1;", "0 ;return(", "-1;"])
def test_repeated_unit_is_read_in_linear_time(inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    """Doubling the value from 64 to 128 KiB at most doubles the time (with slack for a busy machine)."""
    half = unit * (64 * 1024 // len(unit))
    whole = half + half
    assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05
    assert inspect_seconds(whole, BODY) < 5.0
