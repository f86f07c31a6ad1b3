"""Mavo expressions that call a script sink (fresh37: the HackTricks client-side template injection page).

Mavo, a framework that makes HTML editable, evaluates its own expression language wherever a page uses it: inside
``[...]`` brackets in text and attributes, in ``mv-if``/``mv-value``-style attributes, and between the delimiters an
element declares with ``mv-expressions`` (``<div mv-expressions="lolx lolx">lolx…lolx</div>``). The language is not
JavaScript (``mod``, ``and``, ``or`` are words), so a filter that looks for JavaScript's operators around a call
misses ``[Omglol mod 1 mod self.alert (1) andlol]``; but every expression still reaches the page's window, and a
call of a dialog or ``eval`` through a window alias runs script. Read here:

- a ``[...]`` expression in a value that calls ``alert``/``confirm``/``prompt``/``eval`` through ``self``,
  ``top``, ``window``, ``parent``, ``frames`` or ``globalThis`` (with blanks before the parenthesis allowed): prose
  does not put a window alias's dialog call between brackets;
- a tag carrying a Mavo attribute (``mv-…`` or ``data-mv-…``) in a value that calls one of those sinks anywhere after
  it: user text that declares Mavo expressions and calls a dialog is the injection.
"""

from __future__ import annotations

import re

_SINK_CALL = r"(?:alert|confirm|prompt|eval)\s*[(\x60]"
_BRACKETED = re.compile(
    r"\[[^\[\]\n]{0,200}?(?<![\w$])(?:self|top|window|parent|frames|globalThis)\s*\.\s*" + _SINK_CALL
    + r"[^\[\]\n]{0,200}\]", re.I)
_MAVO_TAG = re.compile(r"<[a-z][\w-]*\s(?:[^<>]*?\s)?(?:data-)?mv-[a-z-]+\s*=", re.I)
_ANY_SINK = re.compile(_SINK_CALL, re.I)


def mavo_expression(value: str) -> tuple[int, int] | None:
    """A Mavo expression or Mavo-attributed tag that calls a script sink, or ``None``."""
    if "[" in value and (m := _BRACKETED.search(value)) is not None:
        return m.start(), m.end()
    if "mv-" in value or "MV-" in value or "Mv-" in value:
        tag = _MAVO_TAG.search(value)
        if tag is not None and (call := _ANY_SINK.search(value, tag.end())) is not None:
            return tag.start(), call.end()
    return None
