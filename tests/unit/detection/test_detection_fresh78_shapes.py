"""Unit: the shapes of the fresh78 first contact (projectdiscovery/nuclei-templates ``http/vulnerabilities/other/``,
against Shopify's recorded address-service and storefront answers).

Fixed: a whole-value process call closed by a backslash (the escape that ends a value put into a quoted PHP string,
so the string's own closing quote is escaped and the call runs), and a PHP ``serialize()`` payload behind one
``name|`` (PHP's session encoding, which ``session_decode`` and applications that split on ``|`` read): its strings
are inspected as values, as a bare payload's already were. Left: a SQL statement given to an API action that runs SQL
by design (FineCMS's ``action=sql sql='select …'``, reached with a known key). Values are our own; none comes from a
corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "a whole-value process call closed by a backslash": [
        "passthru('date')\\",
        'shell_exec("ver");\\',
        "system(\\'time /t\\')\\",
        "proc_open('ver')\\",
    ],
    "a serialize() payload behind a session key": [
        'sid|a:1:{s:5:"order";s:44:"1 procedure analyse(updatexml(1,user(),1),1)";}',
        'p_2|a:2:{s:1:"a";i:1;s:1:"b";s:38:"3 and extractvalue(7,concat(0x5c,@@version))";}',
        'cart9|a:2:{s:4:"sort";s:40:"1 and updatexml(1,concat(0x7e,user()),1)";s:1:"n";i:3;}',
    ],
}

PASSED = {
    "plurals, prose and session data that look alike": [
        "System(s)\\",
        "Exec(es)\\",
        "Use exec(cmd)\\ here",
        "Call system() to run it\\",
        'cart|a:1:{s:4:"note";s:13:"Gift wrapping";}',
        'user|a:2:{s:4:"name";s:5:"Alice";s:4:"lang";s:2:"en";}',
        "sizes|s:M",
        "Option A|Option B",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for head, unit in (("", "system(\\'"), ("k|a:1:{", 's:1:"x";'), ("k|", 'a:1:{s:9:"'), ("", "exec('x')\\")):
        half = head + unit * (64 * 1024 // len(unit))
        whole = head + unit * (2 * (64 * 1024 // len(unit)))
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
