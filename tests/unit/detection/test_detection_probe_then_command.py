"""A probe that the whole-value rule refuses alone (``uname -a``, ``ping 127.0.0.1``, ``nslookup x.example``) must not
pass because a separator and a second command follow it: afrog's ``ping 127.0.0.1 | cat <word>`` (fresh62) did.
``shell._probe_then_command``; values are our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from shape_tables import shape_tests

from bastion.detection import Context

REJECTED = {
    "a recon tool, then another command": [
        "uname -a; cat notes.txt",
        "uname; ls",
        "nslookup attacker.example | cat out",
        "ipconfig /all & echo done",
        "netstat -an; grep 443 /etc/services",
    ],
    "a ping at an address, then another command": [
        "ping 127.0.0.1 | cat abc",
        "ping -n 3 127.0.0.1 & type x",
        "ping 10.0.0.1 && ls",
        "ping -c 1 127.0.0.1 || cat x",
    ],
}

PASSED = {
    "prose and command lines that open with no probe": [
        "ping me; thanks",
        "Sleep 8 hours; eat well",
        "sleep 8 && echo finished",
        "R&D | Q&A",
        "curl https://example.com | jq .",
        "ping the on-call engineer | then page the lead",
        "Uname and password; both required",
        "ifconfig | grep ether",  # a cheat sheet's line (fresh56): the probe's output filtered, nothing else run
        "netstat -an | grep 443",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED)


@pytest.mark.parametrize("unit", ["uname -a; ", "ping 127.0.0.1 |", ";;;;", "ping  " * 3])
def test_probe_then_command_is_linear(inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    half = unit * (64 * 1024 // len(unit))
    whole = half + half
    body = Context("body", "comment")
    assert inspect_seconds(whole, body) < 3 * inspect_seconds(half, body) + 0.05
