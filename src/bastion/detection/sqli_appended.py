"""Statements an injection appends, judged on their own grammar whatever comes before them.

Like ``sqli_grammar``, each function takes the folded tokens of ``sqli.tokenize`` and answers one question. These
two are asked where the usual break-out walk gives up:

- ``union_row``: ``UNION [ALL] SELECT`` and a row of constants, a server variable or a call, even when junk
  operators stand before the row (``union select !<1,version()``) and whatever precedes ``UNION`` (a quote the
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
    else:
        return False
    if end >= len(tokens):
        return first.kind == "f" or first.text.startswith("@@")  # union select version(), union select @@version
    nxt = tokens[end]
    if nxt.text == "from":
        return True
    return nxt.kind == "," and end + 1 < len(tokens) and (
        tokens[end + 1].kind in _ROW_NEXT or tokens[end + 1].text == "null")


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
