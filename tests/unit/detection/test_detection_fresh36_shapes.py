"""Unit: the shapes of the fresh36 first contact.

A dash or two followed by a space after a command word is prose punctuation, not an option: a Reddit comment's
postscript on its own line (``…\\n\\nPS - Team …``) read as the Unix ``ps`` with an argument after the line break
(``shell._SHELLISH_ARG``). A real option (``-ef``, ``--help``, a lone ``-`` ending the line for stdin) still makes the
word a command line. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "command with an option after a line break": [
        "great post\n\nps -ef",
        "great post\nps --forest",
        "x\nls -la /var/www",
        "note\ncat -- /etc/passwd",
        "ok\nid -u",
    ],
    "command with an option after a separator": [
        "a;ps -aux",
        "a|sh -",
        "1 && uname -a",
    ],
}

PASSED = {
    "postscript after a blank line": [
        "Thanks for reading!\n\nPS - see you all next week",
        "Loved the show.\n\nPS -- my cat says hi",
        "Great thread\n\nPS - Team Valor forever",
        "Congrats to everyone who voted!\nPS - the results are in the sidebar",
    ],
    "a glossary of commands in prose": [
        "Cheat sheet:\nls - lists the files\ncat - prints them\nps - shows what is running",
        "Remember\nid - your user's number, not a password",
    ],
}


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh36_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh36_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


@pytest.mark.parametrize("value", [
    ("note\nPS - thanks " * 12000)[: 128 * 1024],
    "x\nps " + "-" * (128 * 1024) + " y",
    ("\nls -" + " " * 64) * 1800,
])
def test_fresh36_dash_argument_is_linear(engine: Engine, value: str) -> None:
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 1.0
