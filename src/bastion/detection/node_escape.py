"""Server-side JavaScript that climbs out of a sandbox to Node.js's modules (fresh33's XS-jail misses).

A value evaluated by a server-side JavaScript sandbox (a "jail" that runs the caller's expression with the globals
hidden) reaches ``require`` and the file system without writing ``require('child_process').exec(…)``, which the
command analyser looks for. Each form below is one of the ways, and none is written by ordinary code or prose:

- ``with(…)`` statements back to back, the object of one naming what the next reads (``with(process)with(mainModule)
  with(require('fs'))…``, ``with(this)with(constructor)constructor(source)()``): ``with`` is forbidden in strict
  code and deprecated everywhere; chaining it is how a jail without dots reaches a global. A ``with(`` whose object
  is ``process``, ``mainModule`` or a ``require(…)`` call counts alone;
- the call stack walked up to the module wrapper's arguments (``arguments.callee.caller.arguments[1]("fs")``: the
  wrapper's second argument is ``require``);
- a dynamic ``import()`` of ``fs`` or ``child_process`` whose ``then`` callback reads a file or runs a command
  (``import("fs").then((m) => m.readFileSync("/flag.txt"))``): an expression that runs, where a module import in a
  code sample is a statement on its own line;
- a function called with ``"child_process"`` and its result asked to run a command, whatever the function is named
  (``req("child_process").execSync("id")`` with ``req`` taken from a wrapper's arguments): the command analyser
  reads only the literal ``require``.

Prose that says "with (optional) fields" has a blank before the parenthesis; the searches need ``with(`` written as
code, twice for a chain. Every search is bounded, so a 128 KiB value costs one linear pass per search.
"""

from __future__ import annotations

import re

_Q = "['\"\x60]"

_ESCAPE = re.compile(
    r"(?<![\w$.])with\((?:[^()\n]|\([^()\n]{0,40}\)){0,160}\)[\s;]{0,8}with\("
    r"|(?<![\w$.])with\((?:[^()\n]{0,80},)?\s{0,4}(?:process|mainModule|require\s{0,4}\()"
    r"|\barguments\s{0,4}\.\s{0,4}callee\s{0,4}\.\s{0,4}caller\s{0,4}\.\s{0,4}arguments\s{0,4}\["
    r"|(?<![\w$.])import\s{0,4}\(\s{0,4}" + _Q + r"(?:node:)?(?:fs|child_process)" + _Q + r"\s{0,4}\)\s{0,4}\.\s{0,4}"
    r"then\s{0,4}\([^\n]{0,120}?\.\s{0,4}(?:readFileSync|readFile|writeFileSync|writeFile|execSync|exec|spawnSync"
    r"|spawn)\s{0,4}\("
    r"|[\w$\])]\s{0,4}\(\s{0,4}" + _Q + r"(?:node:)?child_process" + _Q + r"\s{0,4}\)\s{0,4}(?:\.\s{0,4}|\[\s{0,4}"
    + _Q + r")(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|fork)\b",
)


def node_escape(value: str) -> tuple[int, int] | None:
    """The span of a sandbox escape to Node.js's modules (the module docstring's forms), or ``None``."""
    if "with(" not in value and "callee" not in value and "import" not in value and "child_process" not in value:
        return None
    found = _ESCAPE.search(value)
    return None if found is None else (found.start(), found.end())
