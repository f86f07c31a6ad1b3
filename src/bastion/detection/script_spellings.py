"""Script written so that a filter looking for the usual spelling misses it (fresh48: the vectors HTML sanitizers test
themselves against).

- A script scheme spelled in numeric character references (``&#106;&#97;&#118;&#97;…&#58;`` is ``javascript:``),
  with or without the ``;``, with leading zeros, and with ``<wbr>`` tags between the references (the RSnake list's
  word-break variants: a filter that deletes ``<wbr>`` joins them again). No text spells a scheme letter by letter in
  references: the spelling is the evasion, wherever the value puts it (an attribute, a tag name glued to ``src=``).
- A whole value that is a ``javascript:``/``vbscript:`` URL naming a property chain (``javascript:document.cookie``,
  ``javascript:document.vulnerable``): opened as a link it evaluates the chain and shows the result as the page.
  ``_SCRIPT_URL`` in ``xss`` wants a call, an assignment or a string after the scheme; a bare chain is the probe a
  linkifier test sends. A title such as ``JavaScript: the definitive guide`` has a blank and no dotted name.
- A JavaScript string closed by the value's first quote, then the call around it closed, a statement calling any
  function and the rest of the line commented out (``Robert"); abuse();//``): the value lands inside
  ``f("…")`` in an inline script. ``xss._JS_BREAKOUT`` wants a known sink (``alert``, ``eval`` …); the call here may
  be any name, so the shape is held to the whole break-out: the first quote of the value, ``)``, ``;``, a call and
  ``//`` at the end. Code that opens its own string first (``log("x"); f();//``) does not fit.

No prefilter trigger is added: ``prefilter.TRIGGERS["xss"]`` already admits a value holding ``script`` (spaced or
not), ``<`` or a quote, so every URL and break-out here reaches the search, and a reference-spelled scheme does when
the value has markup, a quote or a sink call around it (a bare run of references with none of those is not searched).
"""

from __future__ import annotations

import html
import re

_WBR = re.compile(r"<wbr\s*/?>", re.I)
_REF_RUN = re.compile(r"(?:&#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,7});?){6,}")
"""Six or more numeric character references in a row (each unit starts with ``&#``: one way to split a run)."""
_SCHEME = re.compile(r"(?:java|vb|live)script:", re.I)
_URL_BLANKS = str.maketrans("", "", "\t\r\n\x00")
_CHAIN_URL = re.compile(r"\s*(?:java|vb)script\s*:\s*[A-Za-z_$][\w$]{0,64}(?:\s*\.\s*[A-Za-z_$][\w$]{0,64})+\s*;?\s*",
                        re.I)
_STRING_BREAKOUT = re.compile(
    r"[^\"'\x60\n]{0,64}[\"'\x60]\s*\){1,4}\s*;\s*[A-Za-z_$][\w$.]{0,64}\s*\([^()\n]{0,80}\)\s*;?\s*//[^\n]{0,80}")


def _spelled_scheme(value: str) -> bool:
    text = _WBR.sub("", value) if "<" in value else value
    for m in _REF_RUN.finditer(text):
        # the run and the ten characters before it: a scheme may start in plain letters (``jav&#97;&#115;…``)
        decoded = html.unescape(text[max(0, m.start() - 10) : m.end()]).translate(_URL_BLANKS)
        if _SCHEME.search(decoded):
            return True
    return False


def script_spelling(value: str) -> tuple[int, int] | None:
    """The span of a script scheme spelled in character references, a whole ``javascript:`` property-chain URL, or a
    string break-out calling any function, else ``None``."""
    if "&#" in value and _spelled_scheme(value):
        return 0, len(value)
    if len(value) <= 200 and "script" in value[:40].lower() and _CHAIN_URL.fullmatch(value):
        return 0, len(value)
    if len(value) <= 300 and "//" in value and _STRING_BREAKOUT.fullmatch(value):
        return 0, len(value)
    return None
