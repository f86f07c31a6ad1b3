"""Unit: the shapes of the fresh43 first contact.

A URL to a script or text file ended by a bare ``?`` (or ``?`` and a NUL) or by a query with a second ``?``: the value
a PHP remote file inclusion sends (``remote_include``); a backtick that opens the value and closes the application's
quoted name, then ``;`` and a second statement (``sqli._backtick_breakout``); a whole value that is a quote and
``or`` alone (``sqli._QUOTE_THEN_OR``); and, passed, the keyboard's symbol row that an LDAP metacharacter probe
resembled (``signatures._metacharacter_probe``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "page")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "remote include ended by a bare question mark": [
        "http://203.0.113.7/r57.txt?",
        "https://files.example.net/tools/sh.php??",
        "ftp://203.0.113.9/pub/c100.inc?",
        "http://shells.example/a.txt?\x00",
        "http://evil.example/x.phtml? \x00.jpg",
    ],
    "remote include with a second question mark": [
        "http://payload.txt?cmd?cmd",
        "http://203.0.113.7/id.php?x?",
        "http://203.0.113.7/w.txt?&cmd?ls",
    ],
    "backtick that opens the value then a second statement": [
        "`;insert into users (login,pass) values ('x','y');--",
        "`; update settings set v=1 where k='debug';-- -",
        "`) ;delete from sessions;#",
    ],
    "quote and or alone": [
        "' or",
        "\" OR ",
        " 'xor",
    ],
}

PASSED = {
    "urls to files and pages": [
        "https://example.com/index.php?id=5",
        "https://example.com/search?",
        "https://example.com/forum.php?topic",
        "https://cdn.example.com/notes.txt",
        "https://example.com/a.php?x=1?",
        "See http://example.com/readme.txt? It explains the setup.",
        "http://example.com/faq?q=why?",
    ],
    "backticks in prose and code": [
        "`;` ends a statement in SQL",
        "`)` closes the group, then add a note",
        "Use `select 1;` to test the connection",
    ],
    "quotes and or in text": [
        # a whole "'or'" is no longer one: fresh46's Exploit-DB PoCs send it as an SQL break-out (sqli_breakouts)
        "either 'yes' or",
        "' or more'",
        "Tom's or Ann's",
    ],
    "keyboard symbol rows": [
        "~!@#$%^&*()_+{}|:\"<>?",
        "./\\()\"',.;<>~!@#$%^&*|+=[]{}`~?-",
    ],
}


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh43_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh43_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


def test_fresh43_ldap_probe_still_rejected(engine: Engine) -> None:
    assert engine.inspect("|!<>=~=>=<=*(),+-\"'\\/", BODY) is not None


@pytest.mark.parametrize("unit", [
    "http://a.example/" + "b/" * 20 + "x.txt" + "?" * 3,
    "http://" + "a." * 40 + "php?x",
    "`;" + "insert into t values (1);",
])
def test_fresh43_new_searches_are_linear(engine: Engine, unit: str) -> None:
    value = (unit * (128 * 1024 // len(unit) + 1))[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 1.0
