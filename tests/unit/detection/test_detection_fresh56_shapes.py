"""Unit: the shapes of the fresh56 first contact.

Shell constructs that escaping libraries test against and that carry no separator (``shell_refs``): a whole value that
is one PowerShell ``$Env:`` or cmd.exe ``%NAME%`` reference to a variable Windows sets, and a bash/zsh process
substitution ``<(cmd)`` / ``>(cmd)``. One false positive: a spaced exclamation mark after a word read as a shell escape
(``shell._PROSE_BANG``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.shell_refs import env_reference, process_substitution

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "powershell environment reference": ["$Env:USERNAME", "$env:Path", " ${env:ComSpec} ", '"$ENV:TEMP"'],
    "cmd environment reference": ["%COMSPEC%", "%PATH%", "'%PathExt%'", " %cmdcmdline% "],
    "process substitution": ["zip<(cat a)", "tee >(wc -l)", "x <(id)", "cmp <(ls /) >(sort) y", "q<(uname -a); z"],
}

PASSED = {
    "placeholders and prices": [
        "%FIRSTNAME%",
        "%USERPROFILE%",
        "%APPDATA%",
        "%windir%",
        "Hello %NAME%, welcome",
        "%s%",
        "50% off, then 30%",
        "100%",
        "%PATH% is set by Windows",
        "$PATH",
        "$TSLA",
        "$ENV",
        "Env:Path",
        "$5 or $10",
    ],
    "markup and code with parentheses": [
        "<b>(note)</b>",
        "<em>(hai)</em>.",
        "<bar>(baz)\n",
        "if (a<(b)) {",
        "x<(int)y",
        "so angry >(",
        "2 <(3",
        "a<(b+c)/2",
        "score >(type of test) average",
        "a >(see note) b",
    ],
    "spaced exclamation in prose": [
        "WARNING ! netstat is deprecated.",
        "Attention ! ls -l is slow here",
        "Bonjour ! cat lovers unite",
    ],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_bang_escapes_stay(engine: Engine) -> None:
    for value in ("! whoami", "!whoami", ":! cat /etc/passwd", "a && ! whoami", "x && !whoami"):
        assert engine.inspect(value, BODY) is not None, value


@pytest.mark.parametrize(
    "probe,prefix",
    [
        (env_reference, "%PATH"),
        (env_reference, "$env:"),
        (process_substitution, "a<(b "),
        (process_substitution, " >("),
        (process_substitution, "<(x"),
    ],
)
def test_linear(probe: object, prefix: str) -> None:
    value = prefix * (128 * 1024 // len(prefix))
    start = time.process_time()
    probe(value)  # type: ignore[operator]
    assert time.process_time() - start < 1.0


def test_engine_linear_on_triggers(engine: Engine) -> None:
    for prefix in ("%path%", "$env:", "a<(b ", " >(x", "w ! ", "${env:"):
        value = prefix * (128 * 1024 // len(prefix))
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 2.0, prefix
