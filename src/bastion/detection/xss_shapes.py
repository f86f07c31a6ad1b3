"""Script that needs neither a handler nor a script element, in the written forms only an attack takes.

- A ``javascript:``/``vbscript:`` scheme whose letters a tab, a line feed or a carriage return splits
  (``ja&tab;vascript:``, the entity written or read): URL parsers delete those characters, filters that look for
  the word do not. No text splits the word that way, so the scheme alone is the probe, whatever follows it; its
  colon may be an entity too (``t&colon;:``).
- A ``vbscript:`` URL as an attribute's value, whatever statement follows (``href="vbscript:MsgBox 1"``).
- A script URL running statements, the first a bare name (``javascript:document;alert(…)``, the colon and the
  parentheses often written as entities in a markdown link): ``_SCRIPT_URL`` in ``xss`` wants a call first.
- JSFuck: JavaScript written with the six characters ``[]()!+`` only (``[][(![]+[])[+[]]…``); a long run of them
  is nothing but that encoding.
"""

from __future__ import annotations

import re

_BLANKS = r"(?:[\t\n\r]|&(?:tab|newline);|&#0*(?:9|10|13);?|&#x0*[9ad];?)*"
_SPLIT_SCHEME = re.compile(
    "(?:" + _BLANKS.join("java") + "|" + _BLANKS.join("vb") + ")" + _BLANKS + _BLANKS.join("script") + _BLANKS
    + "(?::|&colon;|&#0*58;?|&#x0*3a;?)",
    re.I)
_VBSCRIPT_ATTRIBUTE = re.compile(r"=\s*['\"]?\s*vbscript\s*:\s*[a-z_]", re.I)
"""A ``vbscript:`` URL as an attribute's value (``<a href="vbscript:MsgBox 1">``): VBScript calls a procedure without
parentheses, so ``_SCRIPT_URL``'s call test misses it, and no page links to that scheme for anything but running it."""
_STATEMENTS = re.compile(r"(?:java|vb)script:[\w$.]{1,40};[\w$.]{1,40}\s*[(\x60=]", re.I)
_JSFUCK = re.compile(r"[\[\]()!+]{48,}")


def obfuscated_script(value: str) -> tuple[int, int] | None:
    """The span of script in one of the module's shapes."""
    low = value.lower()
    if ("script" in low or "&tab;" in low or "&newline;" in low or "&#" in low) and (":" in value or "&colon;" in low):
        for m in _SPLIT_SCHEME.finditer(value):
            if any(c in m.group() for c in "\t\n\r&"):
                return m.start(), m.end()
        if ";" in value and (run := _STATEMENTS.search(value)):
            return run.start(), run.end()
        if "=" in value and (vbs := _VBSCRIPT_ATTRIBUTE.search(value)):
            return vbs.start(), vbs.end()
    if "+[]" in value and (jsfuck := _JSFUCK.search(value)) and jsfuck.group().count("[]") >= 8:
        return jsfuck.start(), jsfuck.end()
    return None
