"""The tails of a WHERE or ORDER BY clause that an in-app SQL detector's tests hand it as the user parameter (fresh59:
libddwaf's ``sqli_detector`` tests): the value is only the part the attacker types, the application's query supplies
the column, the ``OR`` or the ``ORDER BY`` before it. Each is matched as the whole value (blanks around allowed):

- a boolean operator between two empty literals, ``'XOR'``, ``"OR"``, ``$$||$$`` (``quoted_operator``): the first
  quote closes the application's string, the operator joins a second empty string the application's closing quote
  finishes; the quotes are one kind (``'``, ``"``, PostgreSQL's ``$$`` or ``$tag$``) and the operator ``OR``,
  ``XOR``, ``||`` or ``&&``. ``'OR'`` and ``'||'`` were already refused; a quoted word ``"or"`` inside a sentence is
  text (only the whole value counts);
- a constant compared with itself where a quote makes one side a string (``1 = '1'``, ``(1) = ('1')``,
  ``0x1 = $tag$1$tag$``, ``'1' = $$1$$``; ``constant_tautology``): the end of ``… OR 1 = '1'``, true for every row.
  The two constants must be the same number (hex read as its value) or the same text, so ``x = '1'`` (a column) and
  ``'a' = 'b'`` (false) pass, and so does ``1 = 1`` without a quote, a sum in a sentence;
- a number followed by a comment to the end of the value, ``1-- ``, `` 1 #`` (``number_comment``): the id the
  application expects and a comment that cuts off the rest of its statement (a password check). No quantity or
  hashtag is written as a number and then ``--`` or ``#`` with nothing after. A ``#`` glued to the number on both
  sides (``0#``, ``01#``) is a relative JSON pointer naming a key (fresh51's look-alike), so MySQL's ``#`` needs a
  blank before or after it. MySQL reads ``--`` as a comment only before a blank, so probes write ``1-- -`` or
  ``1--+`` (a ``+`` a form decoder turns into that blank) and keep a character after it that no trimming removes
  (fresh80);
- a select list, ``FROM`` a table and a clause, ended with ``;`` and a comment (``id from wp_users order by id limit 1
  ; --``, ``concat_ws(0x3a,login,pass) from users where id = 1 ; --``; ``select_list_cut``, fresh80): the columns of a
  ``SELECT`` the application opens itself, the rest of its statement cut off. Prose does not end a sentence that
  names a table's clause with ``; --``;
- a sort list that runs into ``LIMIT`` or ``OFFSET`` with a number and then ends the statement or opens a string
  (``20 OFFSET 5;``, ``table.col OFFSET 0'``; ``clause_cut``): a benign sort value (``122 DESC LIMIT 20 OFFSET 50``,
  libddwaf's own negatives) stops at the number.

- a boolean operator, a column and a comparison with no right-hand side, perhaps cut by a comment
  (``1 OR id=#``, ``999' AND name<>--``, ``5 || x>=``; ``dangling_comparison``, fresh63: VulnerableApp's error-based
  level): the id or the string the application expects, then a condition whose operand is missing, so the database's
  syntax error echoes the statement. A sentence does not end in ``or id=``; a whole value that opens with a number
  (or closes a quote) and ends in a bare comparator is a probe. A complete condition (``1 OR id=2``) is the other
  detectors' and left alone here.

Every pattern is anchored (``fullmatch``) with bounded repeats and no nested quantifier over overlapping classes:
linear in the value. Values over 200 characters are not read (none of these tails is longer). The prefilter reaches
them through the sqli trigger (a quote, a value opening with a number, ``$$`` opening the value).
"""

from __future__ import annotations

import re

Span = tuple[int, int]

MAX_LEN = 200
_QUOTE = r"(?:'|\"|`|\$[a-z_]{0,16}\$)"
_QUOTED_OPERATOR = re.compile(rf"\s*+({_QUOTE})\s*+(?:or|xor|\|\||&&)\s*+\1\s*+", re.I)
_CONST = (
    r"(?:'(?P<{n}s>[^'\n]{{0,32}})'|\"(?P<{n}d>[^\"\n]{{0,32}})\"|(?P<{n}q>\$[a-z_]{{0,16}}\$)(?P<{n}t>[^$\n]{{0,32}})"
    r"(?P={n}q)|(?P<{n}n>-?\d{{1,12}}|0x[0-9a-f]{{1,12}}))"
)
_SIDE = r"\(?\s*+" + _CONST + r"\s*+\)?"
_CONSTANT_TAUTOLOGY = re.compile(
    r"\s*+" + _SIDE.format(n="a") + r"\s*+(?:=|<=>)\s*+" + _SIDE.format(n="b") + r"\s*+(?:(?:--|#)[^\n]{0,40})?",
    re.I,
)
_NUMBER_COMMENT = re.compile(r"\s*+-?\d{1,20}+(?:\s*+--(?:[ \t]*+[-+])?|\s++#|#\s)\s*+")
_SELECT_ITEM = r"(?:\*|[a-z_][\w.]{0,63}+(?:\s*+\([^()'\";]{0,120}+\))?)"
_SELECT_LIST_CUT = re.compile(
    rf"\s*+{_SELECT_ITEM}(?:\s*+,\s*+{_SELECT_ITEM}){{0,15}}+\s++from\s++[a-z_][\w.]{{0,63}}+"
    r"\s++(?:where|order\s++by|group\s++by|limit)\s[^;'\"\n]{0,120}+;\s*+(?:--|#)[^\n]{0,20}+",
    re.I,
)
_DANGLING_COMPARISON = re.compile(
    r"\s*+(?:-?\d{1,20}+|[^\s'\"]{0,32}+['\"])\s*+(?:or|and|xor|\|\||&&)\s++[a-z_][\w.]{0,63}+\s*+"
    r"(?:=|<>|!=|<=|>=|<|>|like\b)\s*+(?:(?:#|--|/\*)[^\n]{0,40})?",
    re.I,
)
_SORT_ITEM = r"[a-z_\d][\w.]{0,63}+(?:\s++(?:asc|desc))?"
_CLAUSE_CUT = re.compile(
    rf"\s*+{_SORT_ITEM}(?:\s*+,\s*+{_SORT_ITEM}){{0,15}}"
    r"(?:\s++limit\s++\d{1,12}+(?:\s++offset\s++\d{1,12}+)?|\s++offset\s++\d{1,12}+)\s*+[;'\"]\s*+",
    re.I,
)


def _constant(m: re.Match[str], side: str) -> tuple[str, bool] | None:
    """The constant's value as text and whether it was quoted."""
    for kind in ("s", "d", "t"):
        text = m.group(side + kind)
        if text is not None:
            return text.strip(), True
    number = m.group(side + "n")
    if number is None:
        return None
    return (str(int(number, 16)) if number.lower().startswith("0x") else str(int(number))), False


def quoted_operator(value: str) -> Span | None:
    """A whole value that is a boolean operator between two empty literals of one quote kind."""
    if len(value) > MAX_LEN:
        return None
    return (0, len(value)) if _QUOTED_OPERATOR.fullmatch(value) else None


def constant_tautology(value: str) -> Span | None:
    """A whole value comparing a constant with itself, one side quoted."""
    if len(value) > MAX_LEN or "=" not in value:
        return None
    m = _CONSTANT_TAUTOLOGY.fullmatch(value)
    if m is None:
        return None
    a, b = _constant(m, "a"), _constant(m, "b")
    if a is None or b is None or not (a[1] or b[1]):
        return None
    same = a[0] == b[0] or (a[0].lstrip("0") == b[0].lstrip("0") and a[0].isdigit() and b[0].isdigit())
    return (0, len(value)) if same else None


def number_comment(value: str) -> Span | None:
    """A whole value that is a number and a comment marker with nothing after it."""
    if len(value) > MAX_LEN or ("-" not in value and "#" not in value):
        return None
    return (0, len(value)) if _NUMBER_COMMENT.fullmatch(value) else None


def select_list_cut(value: str) -> Span | None:
    """A whole value that is a select list, a table and a clause, ended with ``;`` and a comment."""
    if len(value) > MAX_LEN:
        return None
    return (0, len(value)) if _SELECT_LIST_CUT.fullmatch(value) else None


def dangling_comparison(value: str) -> Span | None:
    """A whole value that is a number or a closed quote, ``OR``/``AND`` and a column compared with nothing."""
    if len(value) > MAX_LEN:
        return None
    return (0, len(value)) if _DANGLING_COMPARISON.fullmatch(value) else None


def clause_cut(value: str) -> Span | None:
    """A whole value that is a sort list with ``LIMIT``/``OFFSET`` and a number, then ``;`` or a quote."""
    if len(value) > MAX_LEN:
        return None
    low = value.lower()
    if "limit" not in low and "offset" not in low:
        return None
    return (0, len(value)) if _CLAUSE_CUT.fullmatch(value) else None


def sql_tail(value: str) -> Span | None:
    """Any of the five whole-value tails, or ``None``. The first and last characters choose which can apply, so an
    ordinary value costs a strip and two comparisons."""
    if len(value) > MAX_LEN:
        return None
    text = value.strip()
    if len(text) < 2:
        return None
    first, last = text[0], text[-1]
    if first in "'\"`$" and last == first and (m := quoted_operator(value)):
        return m
    if "=" in text and (m := constant_tautology(value)):
        return m
    if (first.isdigit() or first == "-" or "'" in text or '"' in text) and (
            "=" in text or "<" in text or ">" in text or "ike" in text.lower()) and (m := dangling_comparison(value)):
        return m
    if (first.isdigit() or first == "-") and last in "-#+" and (m := number_comment(value)):
        return m
    if last in "-#" and ";" in text and (m := select_list_cut(value)):
        return m
    if last in ";'\"":
        return clause_cut(value)
    return None
