"""Whole values that are code for a language's eval sink, beside PHP (``php_code``):

- Perl's ``@{[ … ]}`` interpolation: inside a double-quoted string Perl runs the expression in the brackets
  (``@{[ getpwuid($>) ]}``, ``@{[ CORE::time() ]}``, ``@{[ keys %ENV ]}``). A value that *is* that construct (after
  at most extra ``@`` signs, blanks and quotes) is what a template or ``eval "…"`` sink receives; the same construct
  in a fenced snippet or a sentence among other words is text.
- A JavaScript busy loop handed to a Node.js ``eval`` as the whole value: ``while(<constant>)`` whose condition is
  always true and needs no variable (``while(!0);``, ``while(!'')``, ``while(-Infinity);``, ``while(new Date);``,
  ``while(!!{})``, ``while(String)``). It stalls the event loop of the server: a denial-of-service probe. A loop on
  a variable (``while(x)``) is the start of a snippet, not a probe.

``eval_sink`` also runs ``php_code``: the one hook the command analyser needs.
"""

from __future__ import annotations

import re

from bastion.detection.php_code import php_code
from bastion.detection.php_code import trigger as php_trigger

Span = tuple[int, int]

_PERL_INTERPOLATION = re.compile(r"[\s'\"]*@*@\{\s*\[[^\n]{1,300}\]\s*\}[\s'\";]*")
_JS_CONSTANT = (
    r"((?:[!+\-~][ \t]*){0,4})(\d{1,16}(?:\.\d{1,8})?|true|false|null|undefined|NaN|Infinity|this|globalThis"
    r"|''|\"\"|``|\{[ \t]*\}|\[[ \t]*\]|new[ \t]+[A-Z]\w{0,31}(?:[ \t]*\([ \t]*\))?"
    r"|(?:String|Number|Object|Array|Date|Boolean|Symbol|Function|Math|JSON|RegExp|Error|Promise|process|global"
    r"|window|document))"
)
_OBJECT = object()
_JS_LOOP = re.compile(
    rf"\d{{0,16}}[ \t]*(?:['\"][ \t]*)?(?:;[ \t]*)?while[ \t]*\([ \t]*{_JS_CONSTANT}[ \t]*\)[ \t]*(?:;|\{{[ \t]*\}})?"
    r"[ \t]*;?[ \t]*(?://[^\n]*)?"
)


def _number(v: object) -> float:
    if v is _OBJECT:
        return float("nan")
    if isinstance(v, str):
        return 0.0 if v == "" else float("nan")
    return float(v)  # type: ignore[arg-type]


def _truth(v: object) -> bool:
    if isinstance(v, float):
        return v == v and v != 0
    return v is _OBJECT or bool(v)


def _truthy(ops: str, literal: str) -> bool:
    """Whether JavaScript reads ``<ops><literal>`` as true: ``while(!true)`` and ``while(-0)`` never loop."""
    constants: dict[str, object] = {"true": True, "false": False, "null": 0.0, "undefined": float("nan"),
                                    "nan": float("nan"), "infinity": float("inf"), "''": "", '""': "", "``": ""}
    key = literal.lower()
    value: object = float(key) if key[:1].isdigit() else constants.get(key, _OBJECT)
    if literal.startswith(("[", "{")) and ops.rstrip(" \t")[-1:] in ("+", "-", "~"):
        value = 0.0 if literal.startswith("[") else float("nan")
    for op in reversed(ops.replace(" ", "").replace("\t", "")):
        if op == "!":
            value = not _truth(value)
        elif op in "+-":
            value = _number(value) * (-1 if op == "-" else 1)
        else:
            n = _number(value)
            value = float(~int(n)) if n == n and abs(n) != float("inf") else -1.0
    return _truth(value)


def eval_sink(value: str) -> Span | None:
    """The span of code for an eval sink: PHP (``php_code``), Perl interpolation, a JavaScript busy loop."""
    if "@{" in value and len(value) < 400 and _PERL_INTERPOLATION.fullmatch(value):
        return 0, len(value)
    if "while" in value and len(value) < 200 and (loop := _JS_LOOP.fullmatch(value.strip("\r\n"))) and _truthy(
            loop.group(1), loop.group(2)):
        return 0, len(value)
    return php_code(value)


def trigger() -> bytes:
    """The prefilter pattern for the shapes above."""
    return rb"@\{\s*\[|while\s*\(|" + php_trigger()
