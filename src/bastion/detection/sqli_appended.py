"""Statements an injection appends, judged on their own grammar whatever comes before them.

Like ``sqli_grammar``, each function takes the folded tokens of ``sqli.tokenize`` and answers one question. These
two are asked where the usual break-out walk gives up:

- ``union_row``: ``UNION [ALL] SELECT`` and a row of constants, a server variable or a call, even when junk
  operators stand before the row (``union select !<1,version()``), a column read out under an alias (``union
  select password as id from t``), and whatever precedes ``UNION`` (a quote the
  break-out walk read as a string, a ``#`` it read as a comment, an operator run such as ``\\.<1`` or ``@(1)=1``
  that breaks a fingerprint). The row is what the probe reads out; a headline's "union select" has words after it.
- ``written_statement``: after a closed string, an ``INSERT INTO t [(cols)] VALUES (`` or a ``CREATE|ALTER USER u
  IDENTIFIED BY``: a second statement with its mandatory middle written out, which T-SQL runs without a ``;``
  before it and no sentence spells.
"""

from __future__ import annotations

from itertools import pairwise

from bastion.detection.sqli_grammar import Tokens, after_parens

_ROW_NEXT = frozenset("nsSvwf(")
_JUNK_BEFORE_ROW = 4
"""At most this many symbol operators between ``SELECT`` and the row (``+!<@,version()``)."""


def union_row(tokens: Tokens) -> bool:
    """``tokens`` start at a ``UNION``: is it a ``UNION [ALL|DISTINCT] SELECT`` of a row a probe sends? The row opens
    with a number, variable, call or ``NULL`` (after at most a few symbol operators) and goes on with ``,`` and
    another item or with ``FROM``: ``1,@@version``, ``null,null``, ``1,banner from v$version``. A quoted word after
    ``select`` (a search for ``"union select" meaning``) or words ("union select leaders") are no row."""
    j = 1
    while j < len(tokens) and tokens[j].kind == "(":
        j += 1
    if j >= len(tokens) or tokens[j].text != "select":
        return False
    j += 1
    skipped = 0
    while j < len(tokens) and skipped < _JUNK_BEFORE_ROW and tokens[j].kind == "o" and not tokens[j].text.isalpha():
        j += 1
        skipped += 1
    if j >= len(tokens):
        return False
    first = tokens[j]
    if first.kind == "f":
        end = after_parens(tokens, j + 1)
    elif first.kind in "nv" or (first.kind == "k" and first.text == "null"):
        end = j + 1
    elif first.kind == "w" and _aliased(tokens, j + 1):
        return _aliased_column_read(tokens, j + 3)  # fresh62: union select password as id from t
    else:
        return False
    if _aliased(tokens, end):
        end += 2
    if end >= len(tokens):
        return first.kind == "f" or first.text.startswith("@@")  # union select version(), union select @@version
    nxt = tokens[end]
    if nxt.text == "from":
        return True
    return nxt.kind == "," and end + 1 < len(tokens) and (
        tokens[end + 1].kind in _ROW_NEXT or tokens[end + 1].text == "null")


def _aliased(tokens: Tokens, i: int) -> bool:
    """``tokens[i:]`` is ``AS name`` and then ``FROM`` or ``,``: a row item read out under an alias (fresh62:
    ``union select password as id from HrmResourceManager``). A word item counts only so aliased, since a headline's
    "union select leaders from …" has none; "as" with no ``FROM`` or ``,`` after the name is prose."""
    return (i + 2 < len(tokens) and tokens[i].text == "as" and tokens[i + 1].kind == "w"
            and (tokens[i + 2].text == "from" or tokens[i + 2].kind == ","))


_AFTER_TABLE = frozenset({"where", "limit", "order", "group", "union", "having", "procedure", "into"})


def _aliased_column_read(tokens: Tokens, i: int) -> bool:
    """``tokens[i:]`` go on from a first aliased column (``union select password as id``): more aliased columns or
    constants, then
    ``FROM table`` ending the value or followed by a clause keyword or ``;``/``)``. A sentence ("the union select
    committee as chair from next year") goes on in words after the name that follows "from"."""
    while i < len(tokens) and tokens[i].kind == ",":
        if i + 1 < len(tokens) and (tokens[i + 1].kind in "nv" or tokens[i + 1].text == "null"):
            i += 2  # a constant column between them (``…as id,1 from t``)
        elif i + 1 < len(tokens) and tokens[i + 1].kind == "w" and _aliased(tokens, i + 2):
            i += 4
        else:
            return False
        if _aliased(tokens, i):
            i += 2
    if not (i + 1 < len(tokens) and tokens[i].text == "from" and tokens[i + 1].kind == "w"):
        return False
    i += 2
    while i + 1 < len(tokens) and tokens[i].kind == "o" and tokens[i].text == "." and tokens[i + 1].kind == "w":
        i += 2  # schema.table
    return i >= len(tokens) or tokens[i].text in _AFTER_TABLE or tokens[i].kind in ";)"


def written_statement(rest: Tokens) -> bool:
    """``rest`` (what follows a closed string) opens a statement written out to its mandatory middle: ``INSERT INTO
    name [(col, …)] VALUES (`` or ``CREATE|ALTER USER name IDENTIFIED BY``, after any ``)`` closing the application's
    own parentheses. "' insert into the box" and "'create user'
    button" stop before it."""
    start = 0
    while start < len(rest) and rest[start].kind == ")":
        start += 1  # ') insert into …: the value closed the application's parentheses too
    rest = rest[start:]
    if len(rest) < 4:
        return False
    head = rest[0].text
    if head in ("create", "alter") and rest[1].text == "user":
        return any(a.text == "identified" and b.text == "by" for a, b in pairwise(rest[2:7]))
    if head != "insert" or rest[1].text != "into" or rest[2].kind not in "wf":
        return False
    i = 3
    if rest[i].kind == "(":
        i += 1
        while i < len(rest) and rest[i].kind in "wk,":
            i += 1
        if i >= len(rest) or rest[i].kind != ")":
            return False
        i += 1
    return i + 1 < len(rest) and rest[i].text == "values" and rest[i + 1].kind == "("
