"""Unit: the shapes of the fresh33 first contact.

Server-side JavaScript climbing out of a sandbox to Node.js's modules (``node_escape``: ``with(…)`` chains, the call
stack walked to the module wrapper's ``require``, ``import("fs").then(…)``, any function called with
``"child_process"``); a replacement string whose ``$'``/``$``` patterns close the string before a sink
(``js_indirect``); .NET reflection from a string literal's type inside braces (``template_exprs``); and the benign
case fresh33's AWS models showed: a regular expression's character class listing every ASCII punctuation character,
which ``sqli`` read as a quote closed and a ``#`` comment. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.node_escape import node_escape

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


NODE_ESCAPES = [
    "with(process)with(mainModule)with(require('os'))return(String(userInfo().username))",
    "with(this)with(constructor)constructor('return process')()",
    "with(Math)with(q=1,process)with(mainModule)require",
    "with(a='os',process)x",
    "with(String)\nwith(g=fromCharCode,k=g(111,115))k",
    "(function(){return arguments.callee.caller.arguments[1]('os').hostname()})()",
    "import('fs').then(f => f.readFileSync('/srv/app/.env','utf8'))",
    "import(\"node:child_process\").then((c) => c.execSync('uname'))",
    "r = args[1]; r(\"child_process\").execSync(\"uname -a\")",
    "load('child_process')['spawnSync']('ls')",
]


@pytest.mark.parametrize("value", NODE_ESCAPES)
@pytest.mark.parametrize("ctx", CONTEXTS)
def test_node_sandbox_escape_is_refused(engine: Engine, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == "cmdi"  # it runs commands or reads files on the server


NODE_BENIGN = [
    "Works with (optional) fields with (default) values",
    "Call it with(key) with (value) as described",
    "Compatible with(out) changes",
    "const fs = require('fs');",
    "import fs from 'fs'",
    "const { readFile } = await import('fs/promises')",
    "the caller passes arguments.length items",
    "arguments.callee is deprecated in strict mode",
    "sort with(String) comparator",
    "with (the) process owner",
    "child_process is a Node.js core module",
    "Replace with(out) spaces",
]


@pytest.mark.parametrize("value", NODE_BENIGN)
def test_node_benign_look_alikes_pass(engine: Engine, value: str) -> None:
    assert node_escape(value) is None
    assert engine.inspect(value, BODY) is None


REPLACEMENT_BREAKOUTS = ["$'$`confirm(2)//", "$&$'prompt`1`", "$`$'eval(name)"]


@pytest.mark.parametrize("value", REPLACEMENT_BREAKOUTS)
@pytest.mark.parametrize("ctx", CONTEXTS)
def test_replacement_pattern_breakout_is_refused(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


REPLACEMENT_BENIGN = [
    "Use $& in the replacement to insert the match, $' for the text after it",
    "price $'5 and $`6",
    "echo $'hello'",
    "the $$ sign doubles, see alerts",
]


DOTNET_REFLECTION = [
    '{"x".GetType().Assembly.GetType("System.Reflection.Assembly").GetMethod("LoadFrom").Invoke(null, ["a.dll"])}',
    "{'s'.GetType().Assembly.GetType(\"System.Diagnostics.Process\")}",
    '{ "".GetType() . Assembly }',
]


@pytest.mark.parametrize("value", DOTNET_REFLECTION)
@pytest.mark.parametrize("ctx", CONTEXTS)
def test_dotnet_reflection_in_braces_is_refused(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


DOTNET_BENIGN = [
    "typeof(Program).Assembly.GetName().Version",
    "Call obj.GetType().Name to log the type",
    '"x".GetType().Assembly without braces around it',
    "{ \"name\": \"GetType\", \"kind\": \"method\" }",
]


@pytest.mark.parametrize("value", REPLACEMENT_BENIGN + DOTNET_BENIGN)
def test_replacement_and_dotnet_benign_look_alikes_pass(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is None


PUNCTUATION_LISTS = [
    "^[A-Za-z0-9!\"#$%&'()*+,./:;<=>?@\\[\\\\\\]^_`{|}~-]{8,64}$",
    "\\*?[\\w!\"#$%&'()*+,./:;<=>?@\\[\\]^_`{|}~-]+",
    "Use one of ! \" # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \\ ] ^ _ ` { | } ~",
]


@pytest.mark.parametrize("value", PUNCTUATION_LISTS)
@pytest.mark.parametrize("ctx", [BODY, Context("query", "pattern"), Context("cookie", "p")])
def test_punctuation_class_is_not_sqli(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None


@pytest.mark.parametrize("value", ['admin"#', "admin'#", 'x"# and more', 'admin"#!$%&()', "1' #"])
def test_quote_then_comment_still_refused(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is not None


def test_node_escape_is_linear_on_128_kib() -> None:
    values = ["with(" * 26000, "with(a)" + " " * 131000 + "with(", "arguments.callee." * 7700,
              "import('fs').then(" + "x" * 131000, "f('child_process')" * 7200]
    start = time.process_time()
    for value in values:
        node_escape(value)
    assert time.process_time() - start < 1.0
