"""SQL fragments cut short: a break-out and a keyword, a clause or a literal whose statement the value does not finish.

A scanner probes one break-out at a time and the application's own query supplies the rest, so the value is a piece
that reads as nothing but SQL, not a sentence about it:

- an unmatched closing quote right after one token and then the statement's end (``admin@juice-sh.op';``,
  ``root@example.com'/* c */;``): the value closes the string it was put in and ends the statement;
- an opening quote and then only a statement keyword, cut there (``'alter a``, ``" UNION A``, ``' union/``);
- an equal sign or ``IN`` and a subquery opened at the very end (``@.= ( SELECT``);
- a ``)`` that closes the application's expression and a ``WHEN … THEN`` after it (``) when 234 then``);
- a ``HAVING`` over an aggregate compared with a value opening the value (``HAVING COUNT(CustomerID) > 5``; the
  same clause inside a sentence about a query is text);
- a number or call aliased with a quoted name and then ``FROM`` a name (``1234 AS "foobar" FROM t``: a UNION's
  column; ``42 as "answer" from the book`` is a sentence);
- ``SELECT`` opening the value with a hex literal or a string function (``select 0x616263``, ``select Char(``), and
  a string function given a hex literal (``concat(0x223e…,version(),…)``): how a payload hides its text;
- a keyword split by an inline comment (``un/**/ion``, ``sel/**/ect``), which no text writes;
- a comma opening the value and then a MySQL-only list function (``, FIND_IN_SET('22', Category)``): an ORDER BY or
  column list continued;
- a quote (escaped or not) and a tautology of one number (``\\"1 or 1-``).
- ``*`` opening the value, ``FROM`` a name and then a comment that cuts the rest (``* from wp_users-- -``): a column
  list the application puts after its own ``SELECT``, pointed at another table.

Each test is guarded by a substring or the value's first characters, so most values cost a few comparisons.
"""

from __future__ import annotations

import re

_LONGEST = 512
_TRAILING_BREAKOUT = re.compile(r"\s*[\w.@+-]{1,128}(['\"`])\s*(?:/\*[^*]{0,64}\*/\s*)?;\s*")
_QUOTE_KEYWORD_CUT = re.compile(
    r"\s*['\"`]\s*(?:union|alter|drop|truncate|declare|exec|insert|delete|select)"
    r"(?:\s*/\*?|\s*\(|\s+(?:all|distinct|table|into|from|[a-z]))?\s*", re.I)
_OPEN_SUBQUERY_AT_END = re.compile(r"(?:[=<>]|\bin)\s*\(\s*select\s*$", re.I)
_CLOSE_THEN_WHEN = re.compile(r"\s*\)+\s*when\s+[\w'\"]+\s+then\b", re.I)
_HAVING_AGGREGATE = re.compile(
    r"[\s'\")]*having\s+(?:count|sum|avg|min|max)\s*\(\s*[\w*.]+\s*\)\s*(?:[<>=!]=?|<>)\s*[\w'\"]", re.I)
_ALIAS_FROM = re.compile(
    r"(?:^|[\s,(])(?:\d{1,20}|null|\w{1,32}\s*\([^()]{0,64}\))\s+as\s+([\"`])\w+\1\s+from\s+"
    r"(?!(?:the|a|an|my|your|our|his|her|their|this|that)\b)[\w.`\"\[]", re.I)
_SELECT_HIDDEN = re.compile(
    r"\s*\(?\s*select\s+(?:0x[0-9a-f]{4,}\b|(?:char|chr|concat|concat_ws|unhex|version|database)\s*\()", re.I)
_HEX_ARGUMENT = re.compile(r"\b(?:concat|concat_ws|char|unhex|load_file|convert)\s*\(\s*0x[0-9a-f]{6,}", re.I)
_COMMENT_SPLIT = re.compile(r"\b([a-z]{1,8})/\*[^*]{0,32}\*/([a-z]{1,8})\b", re.I)
_SPLIT_KEYWORDS = frozenset({"union", "select", "insert", "update", "delete", "drop", "from", "where", "sleep",
                             "benchmark", "concat", "having", "order"})
_COMMA_LIST_FUNCTION = re.compile(
    r"\s*,\s*(?:find_in_set|make_set|export_set|elt|field|group_concat|substring_index|extractvalue|updatexml)\s*\(",
    re.I)
_STAR_FROM_CUT = re.compile(
    r"\s*\*\s*from\s+[a-z_`\"\[][\w.$`\"\[\]]{0,63}\s*(?:;\s*)?(?:--[\s+-]{0,4}|#[\s+-]{0,4}|/\*[^*]{0,32}(?:\*/)?)",
    re.I)
_QUOTED_TAUTOLOGY = re.compile(r"\s*\\?['\"]\s*(\d+)\s+(?:or|\|\|)\s+\1\b", re.I)


def cut_fragment(value: str) -> tuple[int, int] | None:
    """The span of a cut SQL fragment in one of the module's shapes, or ``None``."""
    if len(value) > _LONGEST:
        return _anywhere(value)
    head = value.lstrip()[:1] or " "
    if head in "'\"`\\" and (
            (m := _QUOTE_KEYWORD_CUT.fullmatch(value)) or (m := _QUOTED_TAUTOLOGY.match(value))):
        return m.start(), m.end()
    if head == "*" and (m := _STAR_FROM_CUT.fullmatch(value)):
        return m.start(), m.end()
    if head == ")" and (m := _CLOSE_THEN_WHEN.match(value)):
        return m.start(), m.end()
    if head in "hH'\")" and (m := _HAVING_AGGREGATE.match(value)):
        return m.start(), m.end()
    if head == "," and (m := _COMMA_LIST_FUNCTION.match(value)):
        return m.start(), m.end()
    if head in "sS(" and (m := _SELECT_HIDDEN.match(value)):
        return m.start(), m.end()
    if value.rstrip()[-1:] == ";" and (m := _TRAILING_BREAKOUT.fullmatch(value)):
        return m.start(), m.end()
    if value.rstrip()[-6:].lower() == "select" and (m := _OPEN_SUBQUERY_AT_END.search(value)):
        return m.start(), m.end()
    return _anywhere(value)


def _anywhere(value: str) -> tuple[int, int] | None:
    if ("0x" in value or "0X" in value) and (m := _HEX_ARGUMENT.search(value)):
        return m.start(), m.end()
    if "/*" in value:
        for m in _COMMENT_SPLIT.finditer(value):
            if (m.group(1) + m.group(2)).lower() in _SPLIT_KEYWORDS:
                return m.start(), m.end()
    if ('"' in value or "`" in value) and (m := _ALIAS_FROM.search(value)):
        return m.start(), m.end()
    return None
