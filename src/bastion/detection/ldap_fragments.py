"""The shortest LDAP filter break-outs, with no assertion after them (fresh53: @ldapjs/filter's escaping tests):

- a value that only opens a combined filter and names an attribute, ``(|(foo`` or ``(&(uid`` (``opening_filter``):
  put in front of the application's own ``=value)`` it starts an OR or AND of the attacker's choosing. Text and code
  do not open ``(|(`` or ``(&(`` and stop at a bare name; ``signatures.ldapi`` reads the longer fragments that carry
  an ``=``;
- a word followed by two or more closing parentheses and an opening one at the value's end, ``bar))(``
  (``closing_filter``): it closes the assertion and the filter around it and opens a new one for the rest of the
  application's template. The whole value is one token (no blank): a sentence that ends in ``))(`` is not a field
  value, and ``signatures.ldapi`` reads ``)(attr=`` inside longer values. The token is ASCII: chat in Cyrillic
  writes ``))`` as a smile (``спасибо))``).

Both are whole-value patterns of bounded length: linear.
"""

from __future__ import annotations

import re

_OPENING = re.compile(r"\s*+\(\s*+[|&!]\s*+\(\s*+[a-z][\w.;-]{0,63}\s*+", re.I)
_CLOSING = re.compile(r"\s*+[A-Za-z0-9_.@*-]{1,64}+\){2,8}+\(\s*+")


def opening_filter(value: str) -> tuple[int, int] | None:
    """``(0, len)`` when the whole value is ``(|(name``, ``(&(name`` or ``(!(name``, else ``None``."""
    if len(value) > 80 or not value.lstrip().startswith("("):
        return None
    return (0, len(value)) if _OPENING.fullmatch(value) else None


def closing_filter(value: str) -> tuple[int, int] | None:
    """``(0, len)`` when the whole value is a token, two or more ``)`` and a ``(``, else ``None``."""
    if len(value) > 90 or not value.rstrip().endswith("("):
        return None
    return (0, len(value)) if _CLOSING.fullmatch(value) else None
