"""Unit: the shapes of the fresh49 first contact.

A command between a closed and a reopened quote, an option with a command substitution, a command run twice
(``cmd_rebalanced``); a ThinkPHP ``\\think\\`` class route (``thinkphp``); a PHP write of a script file
(``webshell_writes``); an echo of a random marker as the whole statement (``code_probes``); a token followed by
upper-case assignment lines (``line_injection``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.cmd_rebalanced import rebalanced_command
from bastion.detection.code_probes import code_probe
from bastion.detection.line_injection import assignment_lines
from bastion.detection.thinkphp import thinkphp_route
from bastion.detection.webshell_writes import script_write

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "quote closed, command, quote reopened": [
        "status';uname'",
        'eth0";cat /tmp/x.conf"',
        "v1' && id '",
        "name'|/bin/busybox telnetd'$",
    ],
    "option with a substitution": [
        "-i `uname -a`",
        "--target=$(id)",
        "-c `cat /etc/hosts`",
    ],
    "the same command substituted and after a separator": [
        "`echo Zq81`;echo Zq81",
        "`id` && id",
    ],
    "thinkphp class route": [
        "index/\\think\\Container/invokefunction",
        "/\\think\\Request/input",
        "m/\\think\\template\\driver\\file/write",
    ],
    "php write of a script": [
        "file_put_contents('up.php','<?php ?>')",
        "fputs(fopen(\"x.phtml\",\"w\"),$c)",
        "@file_put_contents( 'a.jsp' , $_POST['b'])",
    ],
    "echo of a marker": [
        'echo "Rt5yUq1Wz";',
        "print('a9ZkQ2mNx');",
        "';echo 'P0oL9kIj8';",
    ],
    "token then assignment lines": [
        "x\nSECURE_MODE=0",
        "guest\nROLE=admin\nAUTH_LEVEL=9",
        "1\r\n_SERVICES=ALL",
    ],
}

PASSED = {
    "quotes in prose": [
        "the 'ls' command; see 'man ls'",
        "dogs; cat\"",
        "'a' ; 'b'",
        "He wrote 'x'; then 'y'",
        "It's fine; id est 'that is'",
    ],
    "options and code spans": [
        "use -h `value` for help",
        "-h `value`",
        "--name=$(NAME)",
        "`npm install`; then run it",
        "`make` && make test",
    ],
    "paths and php prose": [
        "C:\\think\\notes\\a.txt",
        "call file_put_contents() to save a file",
        "see file_put_contents in the PHP manual",
        "open notes.php with fopen in read mode",
    ],
    "echo of words": [
        'echo "hello";',
        "print('Done');",
        'echo "DONE2";',
        "echo \"abc123\";",
    ],
    "lines of text": [
        "Line one\nLine two",
        "DB_HOST=x\nDB_USER=y",
        "Note: see below\nDEBUG=1",
        "A\nb=1",
    ],
}


@pytest.mark.parametrize("value", [v for vs in REJECTED.values() for v in vs])
@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: c.kind)
def test_fresh49_shapes_are_rejected(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None, value


@pytest.mark.parametrize("value", [v for vs in PASSED.values() for v in vs])
@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: c.kind)
def test_fresh49_lookalikes_pass(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value


def test_each_module_names_its_own_shape() -> None:
    assert rebalanced_command("a';id'") is not None and rebalanced_command("'a';id'") is None
    assert rebalanced_command("-x `id`") is not None and rebalanced_command("-x `word`") is None
    assert thinkphp_route("\\think\\app/invokefunction") is not None and thinkphp_route("\\think\\app") is None
    assert script_write("file_put_contents('a.php',1)") is not None
    assert script_write("file_put_contents('a.txt',1)") is None
    assert code_probe('echo "Ab3dEf6h";') is not None and code_probe('echo "abcdefgh";') is None
    assert assignment_lines("a\nBC_D=1") is not None and assignment_lines("a b\nBC_D=1") is None


LINEAR = [
    ("';" * 65536, rebalanced_command),
    ("'; id " * 21845, rebalanced_command),
    ("-a `" + "a" * 131072, rebalanced_command),
    ("`" + "id " * 43690, rebalanced_command),
    ("\\think\\" * 18724, thinkphp_route),
    ("\\think\\a" * 16384, thinkphp_route),
    ("file_put_contents('" * 6898, script_write),
    ("fopen('" + "a" * 131072, script_write),
    ("echo '" + "aB1" * 43690, code_probe),
    ("a\n" + "AAA=" * 32768, assignment_lines),
    ("a\n" + "AAA=1\n" * 21845, assignment_lines),
]


@pytest.mark.parametrize(("text", "check"), LINEAR, ids=lambda x: getattr(x, "__name__", "text"))
def test_fresh49_checks_are_linear(text: str, check: object) -> None:
    start = time.process_time()
    check(text)  # type: ignore[operator]
    assert time.process_time() - start < 1.0
