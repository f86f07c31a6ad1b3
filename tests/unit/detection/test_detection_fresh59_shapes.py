"""Unit: the shapes of the fresh59 first contact (the user parameters of libddwaf's RASP detector tests and Datadog's
system-test rule triggers, against recorded NASA ADS answers and the detectors' own negatives).

Fixed: whole-value SQL clause tails (``sqli_tails``: an operator between two empty literals of one quote kind, a
constant compared with itself with one side quoted, a number and a comment to the end, a sort list cut after
``LIMIT``/``OFFSET``); shell fragments with no command word (``shell_fragments``: ``$(<file)``, a numbered
redirection alone or a redirection into a system folder, a default expansion or a re-expanded assignment after a
separator, a substitution inside paired brackets, Shellshock's ``() {`` alone); a whole ``vbscript:name`` URL
(``scanner_probes.js_probe``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.shell import is_cmdi
from bastion.detection.shell_fragments import (
    expansion_after_separator,
    file_read,
    grouped_substitution,
    redirect,
    shellshock_prefix,
)
from bastion.detection.sqli_tails import clause_cut, constant_tautology, number_comment, quoted_operator, sql_tail

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "an operator between two empty literals": ["'xor'", '"Xor"', '"||"', "$q$OR$q$", "`or`", " $$ && $$ "],
    "a constant compared with itself, one side quoted": [
        "7 = '7'",
        "('42') = (42)",
        "\"abc\" = 'abc'",
        "0x2a = '42'",
        "$v$9$v$ = 9",
        "3 = '3' -- x",
    ],
    "a number and a comment to the end": ["42--", "  7 # ", "-3 --", "1001# ", "5 #"],
    "a sort list cut after LIMIT or OFFSET": ["name ASC LIMIT 10;", "a.b, c DESC OFFSET 3'", '9 LIMIT 1 OFFSET 2"'],
    "bash file-read substitution in command position": [
        "$(< /etc/hosts)",
        "$(<notes.txt) y",
        "a;$(<~/.ssh/id_rsa)",
        "x | $(<cmd.txt)",
    ],
    "a redirection alone or into a system folder": [
        "2>/dev/null",
        "&>> out.log",
        " 1> x ",
        "report.csv > /etc/cron.d/x",
        "a.txt 2>> /var/tmp/b",
    ],
    "a command spelled through a variable after a separator": [
        "host.example; ${X:-whoami}",
        "a | ${cmd:=id}",
        "x && N=uname $N",
        "q; V=cat ${z:-$V} /etc/hosts",
    ],
    "a substitution in paired brackets": ["( $(id) )", "{ $(whoami) }", "( ( $(uname -a) ) )"],
    "shellshock's opening alone": ["() {", " () { :; } ", "(){:;};"],
    "a whole vbscript: URL naming a name": ["vbscript:msgbox", "VBScript:x.y", " vbscript: go "],
}

PASSED = {
    "quoted words and operators in text": [
        'the "OR" operator',
        "'or' and 'and' are keywords",
        "choose A or B",
        "1 OR 2",
    ],
    "comparisons that are no tautology": ["x = '1'", "total = 42", "size = '10'"],
    "numbers with dashes or hashes": ["#1", "1 # 2", "1-2", "Price: 10--", "room 101 #3", "tracks 3--5", "0#", "12#"],
    "benign sort values": ["122 DESC LIMIT 20 OFFSET 50", "name ASC", "created_at desc, id", "limit;"],
    "shell-like text": [
        "docker run -v $(pwd):/app image",
        "> quoted reply",
        "x > 5",
        "n 2> 1 holds",
        "$(document).ready(fn)",
        "PATH=/usr/bin; export PATH",
        "a; b=c $d",
        "(see $(this))",
        "score > /10",
        "{ (x) }",
        "NAME=$(<name.txt) ./run.sh",
        "cp $(<list) dest/",
    ],
    "arrow functions and blocks": ["() => {", "function () { return 1; }", "if () {} else {}"],
    "script words in text": ["VBScript: the language", "see vbscript docs"],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_helpers() -> None:
    assert quoted_operator('"XOR"') == (0, 5)
    assert quoted_operator("'OR\"") is None  # two quote kinds: no literal is closed and reopened
    assert constant_tautology("0x10 = '16'") is not None
    assert constant_tautology("0x10 = '10'") is None
    assert constant_tautology("'' = ''") is not None
    assert constant_tautology("'a' = 'b'") is None  # false: (the engine refuses it for its quotes all the same)
    assert constant_tautology("1 = 1") is None  # no quote: left to sqli
    assert number_comment("12 --") == (0, 5)
    assert number_comment("12 -- more") is None
    assert clause_cut("title DESC LIMIT 5;") is not None
    assert clause_cut("title DESC;") is None  # no LIMIT/OFFSET: a sort value ended by a list separator
    assert sql_tail("x" * 300) is None
    assert file_read("$(<a)") == (0, 5)
    assert redirect("> file") is None
    assert expansion_after_separator("a; X=ls $Y") is None  # another variable
    assert grouped_substitution("( $(id) }", is_cmdi) is None  # unpaired brackets
    assert grouped_substitution("( $(this) )", is_cmdi) is None  # the substitution alone is no command
    assert shellshock_prefix("() { return x; }") is None


@pytest.mark.parametrize(
    "probe,prefix",
    [
        (quoted_operator, "$$"),
        (constant_tautology, "('1' = "),
        (number_comment, "1 "),
        (clause_cut, "a, "),
        (clause_cut, "a LIMIT 1 "),
        (file_read, "$(< "),
        (redirect, "2> "),
        (redirect, "a > /tmp/"),
        (expansion_after_separator, "; X=a "),
        (expansion_after_separator, "; ${a:-"),
        (lambda v: grouped_substitution(v, is_cmdi), "( "),
        (lambda v: grouped_substitution("( " + v, is_cmdi), "$("),
        (shellshock_prefix, "() {"),
    ],
)
def test_linear(probe: object, prefix: str) -> None:
    value = prefix * (128 * 1024 // len(prefix))
    start = time.process_time()
    probe(value)  # type: ignore[operator]
    assert time.process_time() - start < 1.0, prefix


def test_engine_linear_on_triggers(engine: Engine) -> None:
    for prefix in ("$$OR$$ ", "1 = '1' ", "2> f ", "; T=ls $T ", "$(<f) ", "( $(id) ) ", "() { ", "vbscript:x "):
        value = prefix * (128 * 1024 // len(prefix))
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 2.0, prefix
