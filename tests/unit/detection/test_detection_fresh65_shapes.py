"""Unit: the shapes of the fresh65 first contact (the inputs shieldon's, anti-xss's and Aikido firewall-node's own
tests feed them, against recorded GitHub webhook deliveries).

Fixed: the handler attributes without an ``on`` prefix (``fscommand=``, ``seekSegmentTime=``) (``xss``); a dot-dot
segment whose dots a tab or line break splits (``/.%09./``), which a URL parser joins, and a whole-value system path
behind ``/./`` segments (``/./././root/x.txt``) (``signatures.traversal``). Left missed: a scheme split by a space or
``\\x01`` (no browser joins those), a handler percent-encoded after an attribute (``"+onMouseOver%3D"…``), a line
break then a bare ``rm``/``echo``, a redirection to ``/dev/null``, Postgres's ``#`` operator. Values are our own; none
comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


REJECTED = {
    "a handler attribute without the on prefix": [
        "<object fscommand=\"run(location.hash)\">",
        "<b seekSegmentTime=go()>x</b>",
        "<span FSCommand='x'>hi</span>",
        "<div a=1 SEEKSEGMENTTIME=\"doIt()\">",
    ],
    "a dot-dot segment split by a tab or line break": [
        "/static/.\t./.\t./etc/hosts",
        "/files/.\n./secrets.yml",
        "/.\r\n./",
        "img/.\t\t./../config.php",
    ],
    "a whole-value system path behind dot segments": [
        "/./root/.bashrc",
        "/././etc/fstab",
        "/./proc/./version",
        "/./root/my-repo",  # fresh64's dotted_system_path: /./ then a system folder opens the value (merge)
    ],
}

PASSED = {
    "the attribute names elsewhere": [
        "fscommand=play",
        "seekSegmentTime is an HTML+TIME event",
        "<code>fscommand</code> is the Flash callback",
        "<param name=\"fscommand\" value=\"true\">",
    ],
    "dots and line breaks in text": [
        "Wait.\n.\nDone",
        "the end.\n.next item",
        "1.\t.2",
        "a.\n.b",
        "see /. \n./ for details",
    ],
    "dot segments inside an application's tree": [
        "/./app/config.yml",
        "./src/./main.py",
    ],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS, line_breaks_in_headers=True)


@pytest.mark.parametrize(
    "unit",
    ["<a fscommand=x ", "<b seekSegmentTime=", "/.\t.", ".\n.", "/./", "/./root/", "/./.\t./x "],
)
def test_linear(engine: Engine, inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    half = unit * (64 * 1024 // len(unit))
    whole = half + half
    assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
