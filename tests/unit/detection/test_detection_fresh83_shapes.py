"""Unit: the shapes of the fresh83 first contact (the injected values of deliberately vulnerable API projects'
solutions, walkthroughs, exploit scripts and tests, against Gitea's database fixtures).

Fixed: an IPv4 address opening the value, a lone ``&`` and a command (a ping field's host sent to the background and
a second command run: ``10.1.2.3 & uname``), which the prose-ampersand pass (``Tom & Jerry``) let through when the
command had no argument; and a separator-opened ``echo`` probe whose marker ends in exclamation marks
(``&&echo pwned!``). Left: a URL whose host is a single label (``http://intranet-app/``) in a Referer header or as a
JSON member name, where a dotless host is a placeholder or an intranet link as often as a target (only a field the
server fetches counts it, fresh70). Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context

BODY = Context("body", "host")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "target"),
            Context("path", "")]

REJECTED = {
    "an address, a lone ampersand and a command": [
        "10.1.2.3 & uname",
        "192.0.2.44 & whoami",
        "8.8.4.4 & pwd",
        "10.20.30.40:8080 & hostname",
        "  172.16.5.9 & ls",
    ],
    "a separator-opened echo probe with an exclamation-marked marker": [
        "&&echo pwned!",
        ";echo injected!!",
        "status && echo marker-7!",
        "| printf hacked!",
    ],
}

PASSED = {
    "ampersands in prose, lists and versions": [
        "Tom & Jerry",
        "R & D budget",
        "10.0.0.1 & 10.0.0.2",
        "192.168.0.1 & more details",
        "1.2.3.4 & ask the admin",
        "v1.2.3 & id",
        "2024.01.01 & later",
        "Hosts 10.0.0.1 & friends",
        "Wow!",
        "Great work, echo that!",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("10.0.0.1 & ", "1.1.1.1 & x ", "& echo a! ", "&&echo a!!!", " & 127.0.0.1"):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
