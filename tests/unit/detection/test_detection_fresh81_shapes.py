"""Unit: the shapes of the fresh81 first contact (Nikto's test database, against CVE record text).

Fixed: a URL to a text file whose query names the shell the included script is to run, ``?cmd``, ``?cmd=<command>``
or a bare command word (``remote_include._SHELL_QUERY``): the remote file inclusion of a web shell kept as text.
Left: the value ``=http://…?`` (a typo in Nikto's database: the application receives no URL) and ``[script]…[/script]``
bracket tags (one forum's BBCode translation makes them markup; a browser runs nothing). Values are our own; none
comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "inc")]

REJECTED = {
    "a text file's URL with the included shell's command in its query": [
        "http://203.0.113.8/tools/c99.txt?cmd",
        "http://203.0.113.8/r57.txt?cmd=uname%20-a",
        "https://files.example.org/x/shell.txt?command=whoami",
        "ftp://198.51.100.4/pub/a.inc?exec=ps",
        "http://198.51.100.4/b.txt?ls",
        "http://203.0.113.8/s.TXT?whoami&lang=en",
        "http://payload.example/id.txt?cmd=id&x=1",
    ],
}

PASSED = {
    "links to text files and pages with their own queries": [
        "https://example.com/notes.txt?v=2",
        "https://example.com/readme.txt?download=1",
        "https://cdn.example.com/robots.txt?c=1",
        "https://example.com/admin.php?cmd=list",
        "https://example.com/forum.php?topic",
        "https://example.com/changes.txt?lang=en&page=2",
        "https://example.com/cmd.txt",
        "See https://example.com/help.txt?cmd for the command list",
        "https://example.com/commands.txt?cmdline=1",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("http://a.example/b.txt?cmd&", "http://" + "a/" * 30 + "x.txt?ls", "http://a.b/c.inc?cmd=" + "x" * 60):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
