"""Two SQL probes that close or branch an expression with no operator the token walk in ``sqli`` reads as a probe.

- A break-out that closes an ``INSERT``'s ``VALUES`` list: a quote ends the application's string, more literals
  follow after commas (the columns the statement still needs), ``)`` closes the list (perhaps more rows after it)
  and a comment cuts off what the application appends: ``x', 'y'); --``, ``a", 1, null)#``. The row the attacker
  writes is theirs (a role, a price); prose does not close a parenthesis and then a comment after quoted words.
  The list may also be closed at once and whole rows follow, whose values may be sub-selects
  (``x'),('u','p',(select flag from flag limit 1))-- -``: a second row that reads a secret into a column the
  application shows back).
- A conditional error: ``CASE WHEN … THEN`` (or ``ELSE``) a division by zero, perhaps inside a conversion
  (``TO_CHAR(1/0)``, Oracle's error-based probe; ``1/0`` in PostgreSQL): the condition's truth comes back as an
  error or not, whatever the condition is.
- A sort or column value that is, as a whole, a ``CASE WHEN … THEN a ELSE b END`` whose condition holds a
  subquery (``(SELECT ip FROM hosts WHERE …) LIKE '10.%'``) or is a boolean constant (``(true)``): the ORDER BY
  injection that reads the database one bit at a time through the row order (``ORDER BY`` takes an expression, so
  no quote is needed). Only the whole value counts, perhaps in parentheses, after other sort columns, before
  ``ASC``/``DESC`` and a comment: prose has no ``END``, and the same expression inside a fenced snippet or a
  sentence is text (decision 0012).

Two forms of a probe that the token walk reads as text, rewritten or matched whole:

- ``sleep N`` written without parentheses after ``AND``/``OR`` and a break-out (``7' OR sleep 4--``, ``1 and sleep
  3``): the whole value is that condition, the number standing where a delay goes. Not valid MySQL as written, but
  scanners and tutorials send it, and no sentence is only this (a number or a quote-ended word before it).
- Keywords doubled for a filter that strips them once (``SELselectECT``, ``UNIunionON``, ``FRFROMOM``): ``undoubled``
  gives the value as that filter leaves it, which the caller judges again (once).
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_LITERAL = (r"(?:'[^'\n]{0,64}'|\"[^\"\n]{0,64}\"|-?\d{1,20}(?:\.\d{1,10})?|null|true|false|default"
            r"|[a-z_]\w{0,31}\([ \t]*\))")
_CELL = rf"(?:{_LITERAL}|\([ \t]*select[ \t][^;\n()]{{1,200}}\))"
"""A literal, or a parenthesised sub-select (no nested parentheses) that a row may carry as one of its values."""
_ROW = rf",[ \t]*\([ \t]*{_CELL}(?:[ \t]*,[ \t]*{_CELL}){{0,15}}[ \t]*\)[ \t]*"
_VALUES_BREAKOUT = re.compile(
    rf"[^'\"\n]{{0,64}}(['\"])[ \t]*(?:(?:,[ \t]*{_LITERAL}[ \t]*){{1,16}}\)[ \t]*(?:{_ROW}){{0,8}}"
    rf"|\)[ \t]*(?:{_ROW}){{1,8}})"
    r"(?:;[ \t]*)?(?:--|#|/\*)[ \t+-]*\s*",
    re.I,
)
_CASE_ERROR = re.compile(
    r"\bcase\s+when\b[^;]{1,200}?\b(?:then|else)\s+(?:[a-z_]\w{0,31}\s*\(\s*)?-?\d{1,20}\s*/\s*0+(?![\d.])"
    r"[^;]{0,200}?\bend\b",
    re.I,
)

_CASE_OPERAND = r"(?:[\w.`\"\[\]]{1,64}|'[^'\n]{0,64}'|-?\d{1,20}|\([^;\n]{1,300}?\))"
_CASE_ORDER = re.compile(
    r"\s*(?:[\w.`\"]{1,64}(?:\s+(?:asc|desc))?\s*,\s*){0,8}\(*\s*case\s+when\s+"
    r"(?:\(*\s*(?:not\s+)?(?:true|false)\s*\)*|[^;\n]{0,300}?\(\s*select\s[^;\n]{1,400}?)"
    rf"\s+then\s+{_CASE_OPERAND}(?:\s+else\s+{_CASE_OPERAND})?\s+end\s*\)*(?:\s*(?:asc|desc))?\s*"
    r"(?:(?:;\s*)?(?:--|#|/\*).*)?",
    re.I | re.S,
)

_WORD_SLEEP = re.compile(
    r"\s*(?:[^'\"\n]{0,32}['\"]|-?\d{1,20})[\s)]*(?:and|or|xor|&&|\|\|)\s+(?:pg_)?sleep\s+\d{1,5}\s*"
    r"(?:(?:;\s*)?(?:--|#|/\*).*)?",
    re.I | re.S,
)
_DOUBLED_KEYWORDS = ("select", "union", "from", "where", "insert", "update", "delete", "drop", "sleep", "and", "or")
_DOUBLED = re.compile(
    r"(?<![a-z])(?:" + "|".join(sorted({re.escape(k[:i] + k + k[i:]) for k in _DOUBLED_KEYWORDS
                                        for i in range(len(k) + 1)}, key=len, reverse=True)) + r")(?![a-z])",
    re.I,
)


def word_sleep(value: str) -> Span | None:
    """The whole value is a break-out then ``AND``/``OR sleep N`` without parentheses (see the module docstring)."""
    if len(value) < 120 and _WORD_SLEEP.fullmatch(value):
        return 0, len(value)
    return None


def undoubled(value: str, low: str) -> str | None:
    """``value`` with every keyword doubled for a strip-once filter (``SESELECTLECT``) stripped once, if it has any."""
    if not (("select" in low and _glued(low, "select")) or ("union" in low and _glued(low, "union"))
            or ("from" in low and _glued(low, "from")) or ("where" in low and _glued(low, "where"))
            or ("drop" in low and _glued(low, "drop")) or ("insert" in low and _glued(low, "insert"))
            or ("update" in low and _glued(low, "update")) or ("delete" in low and _glued(low, "delete"))):
        return None  # a doubled form holds one of these keywords with a letter touching it: cheap, before the regex
    if _DOUBLED.search(value) is None:
        return None
    return _DOUBLED.sub(lambda m: _strip_once(m.group()), value)


def _glued(low: str, keyword: str) -> bool:
    """``keyword`` occurs in ``low`` with a letter touching it."""
    at = low.find(keyword)
    while at >= 0:
        end = at + len(keyword)
        if (at and low[at - 1].isalpha()) or low[end : end + 1].isalpha():
            return True
        at = low.find(keyword, end)
    return False


def _strip_once(word: str) -> str:
    low = word.lower()
    for k in _DOUBLED_KEYWORDS:
        if len(low) == 2 * len(k):
            for at in range(len(k) + 1):
                if low.startswith(k, at) and low[:at] + low[at + len(k) :] == k:
                    return word[:at] + word[at + len(k) :]
    return word


def values_or_case_error(value: str, low: str) -> Span | None:
    """The span of a ``VALUES`` break-out or a ``CASE`` conditional error (see the module docstring), if any."""
    if len(value) < 600 and ")" in value and ("'" in value or '"' in value) and (
            closed := _VALUES_BREAKOUT.fullmatch(value)):
        return closed.start(1), len(value)
    if "case" in low and "/" in value and (error := _CASE_ERROR.search(value)):
        return error.start(), error.end()
    if "case" in low and len(value) < 1200 and (order := _CASE_ORDER.fullmatch(value)):
        return order.start(), order.end()
    return None
