"""Code-injection probes that prove an ``eval`` ran, or stall it, without any shell: the whole value is one statement.

Scanners confirm code injection the way ``probes`` confirms shell injection: the injected code computes something
harmless they can find in the response, or sleeps. What gives them away is that the *whole value* is that statement,
after at most a breakout (digits, a quote, ``;``, ``&&``) and before at most a comment (``#``) or ``;``:

- an echo of arithmetic on long literal numbers (``print 1234567+7654321``, ``Response.Write(…+…)``): "print 2+2"
  in a sentence has short numbers and words around it;
- an echo of string repetition (``echo str_repeat('ab',5);``, ``print 'ab'x5``, ``print('ab'*5)``,
  ``Response.Write(new String("ab",5))``);
- a language-level sleep (``Thread.sleep(4000);``, ``import time;time.sleep(4)``, ``; sleep(4000/1000);``:
  milliseconds turned into seconds; a bare ``; sleep(3)`` is left to the NoSQL ``$where`` rule), and, anywhere
  in a value, Python's ``__import__('…')`` (no prose or JSON calls it) and a JavaScript busy loop on
  ``new Date()`` (``do{c=new Date();}while(c-d<3000)``);
- an echo of a short quoted string ended by ``;`` and an empty comment (``echo('kQxvLbTzRm');//``,
  ``print "x9";#``): the eval probe that cuts the rest of the sink's code off (Metasploit's OpenHelpDesk check,
  fresh44). A code sample prints a message and comments on it (``print('done');  // log``) or has no comment;
- an echo of a random marker ended by ``;`` as the whole value (``echo "Hb7sK2pQ9x";``, pocsuite3's Drupalgeddon 2
  check, fresh49): 8-32 letters and digits mixing upper case, lower case and digits, which no message is;
- a ``ping`` with a count and the loopback host as the whole value or its only line (``ping -c 3 127.0.0.1``): a
  timing probe. "ping me at 3", or a ping of a real host in a runbook, has no loopback target;
- a Node.js statement handed to ``eval()`` as the whole value (after at most a breakout, before at most ``;`` and a
  ``//`` comment), no shell needed: process control (``process.exit()``, ``process.kill(process.pid)``,
  ``global.process.abort()``), a busy loop (``while(1)``, ``for(;;){}``), or an expression that loads ``fs``,
  ``child_process``, ``net``, ``vm``, ``os`` or ``http`` (``res.end(require('fs').readdirSync('..').toString())``).
  The same code in a sentence ("call process.exit() when done"), on one line of a fenced snippet or after a
  ``const x =`` in a code sample is text: only the bare statement is what an ``eval`` sink receives.
"""

from __future__ import annotations

import re

_BREAKOUT = r"^\d{0,16}[ \t]*(?:['\"][ \t]*)?(?:(?:;|&&|\|\|?)[ \t]*)?"
_NUMBER = r"\d{5,24}"
_ARITH = rf"{_NUMBER}\s*[-+*]\s*{_NUMBER}"
_QUOTED = r"""(?:'[^'\n]{1,32}'|"[^"\n]{1,32}")"""
_STATEMENT = (
    rf"(?:echo|print)[ \t]*\(?[ \t]*{_ARITH}[ \t]*\)?"
    rf"|response\.write[ \t]*\([ \t]*(?:{_ARITH}|new[ \t]+string[ \t]*\([ \t]*{_QUOTED}[ \t]*,[ \t]*\d{{1,4}}"
    r"[ \t]*\))[ \t]*\)"
    rf"|echo[ \t]+str_repeat[ \t]*\([ \t]*{_QUOTED}[ \t]*,[ \t]*\d{{1,4}}[ \t]*\)"
    rf"|print[ \t]*\(?[ \t]*{_QUOTED}[ \t]*[x*][ \t]*\d{{1,4}}[ \t]*\)?"
    r"|thread\.sleep[ \t]*\([ \t]*\d{1,7}[ \t]*\)"
    r"|import[ \t]+time[ \t]*;[ \t]*time\.sleep[ \t]*\([ \t]*\d{1,7}(?:[ \t]*/[ \t]*\d{1,7})?[ \t]*\)"
    r"|sleep[ \t]*\([ \t]*\d{1,7}[ \t]*/[ \t]*\d{1,7}[ \t]*\)"
)
_WHOLE = re.compile(rf"{_BREAKOUT}[ \t]*(?:{_STATEMENT})[ \t]*;?[ \t]*#?[ \t]*", re.I)
_ECHO_CUT = re.compile(
    rf"{_BREAKOUT}[ \t]*(?:echo|print)[ \t]*(?:\([ \t]*{_QUOTED}[ \t]*\)|[ \t]{_QUOTED})[ \t]*;[ \t]*(?://|\#)[ \t]*",
    re.I)
_MARKER_BODY = r"(?-i:(?=[A-Za-z0-9]{0,31}[0-9])(?=[A-Za-z0-9]{0,31}[A-Z])(?=[A-Za-z0-9]{0,31}[a-z]))[a-z0-9]{8,32}"
_MARKER = rf"(?:'{_MARKER_BODY}'|\"{_MARKER_BODY}\")"
_ECHO_MARKER = re.compile(
    rf"{_BREAKOUT}[ \t]*(?:echo|print)[ \t]*(?:\([ \t]*{_MARKER}[ \t]*\)|[ \t]{_MARKER})[ \t]*;[ \t]*", re.I)
"""fresh49: ``echo "Hb7sK2pQ9x";`` — a marker (upper, lower and a digit) echoed as the whole statement."""
_SLEEP_NEEDS_BREAKOUT = re.compile(r"\s*(?:import|sleep)", re.I)
_ANYWHERE = re.compile(
    r"__import__[ \t]*\([ \t]*['\"]\w{1,32}['\"][ \t]*\)"
    r"|do[ \t]*\{[ \t]*\w{1,32}[ \t]*=[ \t]*new[ \t]+Date[ \t]*\([ \t]*\)[ \t]*;?[ \t]*\}[ \t]*while[ \t]*\("
)
_PING = re.compile(
    r"(?:^|[\n\r])\d{0,16}[ \t]*(?:['\"][ \t]*)?(?:run[ \t]+)?(?:(?:/usr)?/s?bin/)?ping(?:\.exe)?[ \t]+"
    r"(?:-[nc][ \t]*\d{1,4}[ \t]+(?:localhost|127\.0\.0\.1)|-s[ \t]+(?:localhost|127\.0\.0\.1)[ \t]+\d{1,4})"
    r"[ \t]*(?=[\n\r]|$)",
    re.I,
)
_JS_ARGS = r"\((?:[^()\n]|\((?:[^()\n]|\([^()\n]*\))*\)){0,200}\)"
"""A call's argument list, up to three parentheses deep (``(require('fs').readdirSync('.').toString())``)."""
_NODE_STATEMENT = re.compile(
    rf"{_BREAKOUT}[ \t]*(?:"
    rf"(?:(?:global|globalThis|this)[ \t]*\.[ \t]*)?process[ \t]*\.[ \t]*(?:exit|kill|abort|reallyExit|chdir|setuid"
    rf"|setgid|dlopen)[ \t]*{_JS_ARGS}"
    r"|(?:while[ \t]*\([ \t]*(?:1|true|!0|!!1)[ \t]*|for[ \t]*\([ \t]*;[ \t]*;[ \t]*)\)[ \t]*(?:\{[ \t]*\}|;)?"
    rf"|(?:[\w$.]{{1,64}}[ \t]*\([ \t]*)?require[ \t]*\([ \t]*(['\"\x60])(?:node:)?"
    r"(?:fs|child_process|net|vm|os|http)\1[ \t]*\)"
    rf"(?:[ \t]*\.[ \t]*[\w$]{{1,64}}(?:[ \t]*{_JS_ARGS})?){{0,8}}[ \t]*\)?"
    r")[ \t]*;?[ \t]*(?://[^\n]*)?",
    re.I,
)
HINTS = ("print", "echo", "rite", "leep", "__import__", "Date", "ping", "PRINT", "ECHO", "PING")
"""Substrings one of which every probe holds: a value with none of them is not read further."""


def node_statement(value: str) -> tuple[int, int] | None:
    """The whole value is a Node.js statement for an ``eval`` sink (see the module docstring); the caller has seen a
    ``(`` in it."""
    if len(value) < 600 and (node := _NODE_STATEMENT.fullmatch(value.rstrip("\r\n"))):
        return node.start(), node.end()
    return None


def code_probe(value: str) -> tuple[int, int] | None:
    """The span of a code-injection echo or timing probe in ``value`` (see the module docstring), if any."""
    if len(value) < 400 and (whole := _WHOLE.fullmatch(value.rstrip("\r\n"))):
        statement = value[whole.start() :].lstrip("0123456789 \t")
        if not _SLEEP_NEEDS_BREAKOUT.match(statement) or statement[:1] in ";&|'\"" or value[:1].isspace():
            return 0, len(value)
    if len(value) < 120 and (_ECHO_CUT.fullmatch(value.rstrip("\r\n")) or _ECHO_MARKER.fullmatch(value.rstrip())):
        return 0, len(value)
    if (found := _ANYWHERE.search(value)) or (found := _PING.search(value)):
        return found.start(), found.end()
    return None
