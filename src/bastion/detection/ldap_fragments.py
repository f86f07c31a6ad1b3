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

fresh61 (REST API fuzzers' LDAP payloads) adds two more:

- a whole value that is a filter operator and its items with no outer parenthesis, ``!(cn=*)``, ``&(uid=x)(mail=*)``
  (``operator_item``): put inside the application's ``(…)`` it negates or combines the lookup the attacker's way.
  ``signatures.ldapi`` reads ``(!(`` with its opening parenthesis and ``objectClass=*`` items; here any attribute
  counts, but only as the whole value and with the ``=`` glued to the attribute as RFC 4515 writes it: code
  writes ``!(a = b)`` inside a condition, with blanks, and not as a field's value;
- an extensible match that names the entry's DN (``cn:dn:=John``, ``:dn:2.5.13.5:=x``, ``:dn:=*``) (``dn_match``):
  the ``:dn:`` form matches on every DN component, so ``:dn:=*`` widens a lookup to every entry.
  ``signatures.ldapi`` reads the dotted-rule form (``attr:1.2.840…:=``); no text writes ``:dn:=``.

``TRIGGER`` is what the prefilter adds for them (an operator and ``(`` at the value's start, ``:dn:`` before ``=``).
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


TRIGGER = rb"(^|\x00)\s*[|&!]\s*\(|:dn(:[\w.]+)?:="
_OPERATOR_ITEM = re.compile(
    r"\s*+[|&!]\s*+\(\s*+[A-Za-z][\w.;-]{0,63}+(?::[\w.]{1,64}+)?+[~<>]?=[^()\n]{0,256}+\)"
    r"(?:\s*+\([^()\n]{0,256}+\))*+\s*+"
)
_DN_MATCH = re.compile(r"(?<![\w:-])(?:[A-Za-z][\w-]{0,63}+)?:dn(?::[\w.]{1,64}+)?+:=", re.I)


def operator_item(value: str) -> tuple[int, int] | None:
    """``(0, len)`` when the whole value is ``!``, ``&`` or ``|`` and parenthesised assertions, else ``None``."""
    if len(value) > 1200 or "(" not in value or value.lstrip()[:1] not in ("!", "&", "|"):
        return None
    return (0, len(value)) if _OPERATOR_ITEM.fullmatch(value) else None


def dn_match(value: str) -> tuple[int, int] | None:
    """The span of an extensible match on DN components (``:dn:=``), else ``None``."""
    if ":=" not in value:
        return None
    m = _DN_MATCH.search(value)
    return (m.start(), m.end()) if m else None
