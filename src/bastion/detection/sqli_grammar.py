"""The judgement half of the SQL injection analyser: does a token stream continue an SQL statement?

Each function takes the folded tokens of ``sqli.tokenize`` (``kind`` letters documented there) and
answers one grammatical question. They accept only continuations a database would execute, which
is what keeps prose ("select a plan", "Smith and Jones", "2 or 3 bedrooms") out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.detection.sqli import Token

Tokens = Sequence["Token"]

TIMING_FUNCS = frozenset({
    "sleep", "benchmark", "pg_sleep", "extractvalue", "updatexml", "load_file", "xp_cmdshell",
    "dbms_pipe.receive_message", "utl_inaddr.get_host_address", "randomblob", "dbms_lock.sleep",
    "utl_http.request", "gtid_subset", "name_const", "exp", "json_keys",
})
CLAUSES = frozenset({"order by", "group by", "having", "limit", "procedure", "into", "waitfor"})
OBJECTS = frozenset({"table", "database", "schema", "user", "view", "procedure", "function", "index",
                     "trigger", "login"})
LITERALS = frozenset({"null", "true", "false"})
OPERAND = frozenset("nsSvw")


def _operand(tok: Token) -> bool:
    return tok.kind in OPERAND or (tok.kind == "k" and tok.text in LITERALS)


def _strong_operand(tok: Token) -> bool:
    return tok.kind in "nsSv" or (tok.kind == "k" and tok.text in LITERALS)


_TRUTHY_STRINGS = frozenset({"t", "true", "y", "yes", "on"})


def _lone_operand(tok: Token) -> bool:
    """A lone operand that ends a condition: a number, variable or literal; a string a database reads
    as true (MySQL casts ``'1abc'`` to 1; PostgreSQL accepts ``'t'``, ``'yes'``); or a one-word string
    the application's own quote will close (``' or 'a``, a boolean-blind probe). A quoted phrase
    ("'and' vs 'or' in a search") or a closed quoted word ('"Yes" or "No"') is prose."""
    if tok.kind not in "sS":
        return _strong_operand(tok)
    body = tok.text[1:-1] if tok.kind == "s" else tok.text[1:]
    low = body.strip().lower()
    if low.lstrip("0.")[:1].isdigit() or low in _TRUTHY_STRINGS:
        return True
    return tok.kind == "S" and len(body) <= 16 and not any(ch.isspace() for ch in body)


def _subquery(rest: Tokens) -> bool:
    return len(rest) > 1 and rest[0].kind == "(" and rest[1].text == "select"


def select_list(rest: Tokens) -> bool:
    """``select`` is followed by something a SELECT list starts with (not "select a plan")."""
    if not rest:
        return False
    first = rest[0]
    if first.kind in "nsSvf(" or first.text in ("*", "null", "case", "distinct", "all", "top"):
        return True
    return first.kind == "w" and len(rest) > 1 and (rest[1].kind in ",)" or rest[1].text == "from")


def _after_parens(tokens: Tokens, start: int) -> int:
    """Index just past the parenthesised group that starts at ``start`` (``len(tokens)`` if unclosed)."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += (tokens[i].kind == "(") - (tokens[i].kind == ")")
        if depth == 0:
            return i + 1
    return len(tokens)


def statement(tokens: Tokens, start: int = 0) -> bool:
    """A second statement at ``tokens[start]`` (after ``;``: stacked queries), including T-SQL
    ``IF (…) <statement>`` and PostgreSQL ``COPY … TO/FROM PROGRAM``."""
    while start < len(tokens) and tokens[start].kind == "f" and tokens[start].text == "if":
        start = _after_parens(tokens, start + 1)  # IF (condition) <statement>, possibly nested
    rest = tokens[start : start + 8]  # a statement is judged on its first few tokens: no long slices
    if not rest:
        return False
    head, nxt = rest[0].text, rest[1] if len(rest) > 1 else None
    if head == "copy" and nxt is not None:
        if _subquery(rest[1:]):
            return True
        return nxt.kind == "w" and len(rest) > 3 and rest[2].text in ("to", "from") and (
            rest[3].kind in "sS" or rest[3].text in ("program", "stdout", "stdin"))
    if rest[0].kind not in "kf":
        return False
    if head == "select":
        return select_list(rest[1:])
    if nxt is None:
        return head == "shutdown"
    follows: dict[str, bool] = {
        "insert": nxt.text == "into",
        "delete": nxt.text == "from",
        "update": nxt.kind == "w" and len(rest) > 2 and rest[2].text == "set",
        "drop": nxt.text in OBJECTS, "create": nxt.text in OBJECTS, "alter": nxt.text in OBJECTS,
        "truncate": nxt.text == "table",
        "exec": nxt.kind in "wf(", "execute": nxt.kind in "wf(",
        "declare": nxt.kind == "v", "set": nxt.kind == "v",
        "waitfor": nxt.text in ("delay", "time"),
        "shutdown": nxt.text == "with",
        "call": nxt.kind == "f",
    }
    return follows.get(head, False)


def condition(rest: Tokens, tc: bool, strict: bool = False) -> bool:
    """What follows a logic operator (``or``, ``&&`` …) is a condition a database evaluates."""
    while rest and rest[0].text == "not":
        rest = rest[1:]
    if not rest:
        return False
    first = rest[0]
    if first.kind == "f" or (first.kind == "k" and first.text in ("select", "exists")):
        return True
    if first.kind == "(":
        return condition(rest[1:], tc, strict) or (len(rest) > 1 and rest[1].text == "select")
    if not _operand(first):
        return False
    if len(rest) == 1:
        return tc or (not strict and _lone_operand(first))
    second = rest[1]
    if second.kind == "o" and len(rest) > 2:
        third = rest[2]
        return _operand(third) or third.kind in "f("
    if second.kind == "&":
        return condition(rest[2:], tc, strict)
    return second.kind == ")" and _strong_operand(first)


def after_breakout(rest: Tokens, tc: bool, numeric: bool = False) -> bool:
    """The value closed a string (or, with ``numeric``, ended a number); does the rest continue the
    statement? After a number, arithmetic alone ("5 + 3") is not enough: it must call a function."""
    while rest and rest[0].kind == ")":
        rest = rest[1:]
    if not rest:
        return tc
    first, tail = rest[0], rest[1:]
    if first.kind == ";":
        return statement(tail) or (not tail and tc)
    if first.kind == "&":
        return condition(tail, tc, numeric)
    if first.kind == "o" and numeric:
        return bool(tail) and (tail[0].kind == "f" or _subquery(tail))
    if first.kind == "o" and first.text == "/" and tail and tail[0].kind == "w":
        return False  # a path after a quote ('/api/items'), not a division
    if first.kind == "o" and first.text in WORD_OPERANDS:
        return bool(tail) and WORD_OPERANDS[first.text](tail)
    if first.kind == "o":
        return bool(tail) and (tail[0].kind in "nsSvf(" or (tail[0].kind == "w" and (tc or len(tail) > 1)))
    if first.text == "union":
        return union_select(rest)
    if first.kind == "k" and first.text in CLAUSES:
        return bool(tail) and (tail[0].kind in "nwf(" or tail[0].text in ("delay", "outfile", "dumpfile"))
    if first.kind == "," and tail:
        return tail[0].kind == "f" or _subquery(tail)
    return False


WORD_OPERANDS: dict[str, Callable[[Tokens], bool]] = {
    "in": lambda t: t[0].kind == "(",
    "is": lambda t: t[0].text in ("null", "not", "true", "false", "unknown"),
    "between": lambda t: len(t) > 2 and _operand(t[0]) and t[1].text == "and",
    "like": lambda t: t[0].kind in "nsSvf(",
    "rlike": lambda t: t[0].kind in "nsSvf(",
    "regexp": lambda t: t[0].kind in "nsSvf(",
    "glob": lambda t: t[0].kind in "nsSvf(",
}
"""What SQL allows after a word operator. Prose has the same words ("in Progress", "is great", "like new")
followed by ordinary words, which SQL never accepts there."""


def union_select(tokens: Tokens) -> bool:
    for i, tok in enumerate(tokens):
        if tok.kind in "kf" and tok.text == "union":  # union(select …) makes "union" look like a call
            j = i + 1
            while j < len(tokens) and tokens[j].kind == "(":
                j += 1
            if j < len(tokens) and tokens[j].text == "select" and select_list(tokens[j + 1 :]):
                return True
    return False


def raw_value(tokens: Tokens, tc: bool) -> bool:
    """Injection without a quote: UNION SELECT, stacked statements, a number that turns into a
    condition (``1 or 1=1``), or a timing/error function where a value was expected."""
    if union_select(tokens):
        return True
    for i, tok in enumerate(tokens):
        if tok.kind == ";" and statement(tokens, i + 1):
            return True
        if tok.kind == "f" and tok.text in TIMING_FUNCS and (i == 0 or tokens[i - 1].kind in "o&(,"):
            return True
    start = 0
    while start < len(tokens) and (tokens[start].kind == "(" or tokens[start].text in ("-", "+")):
        start += 1
    if start >= len(tokens):
        return False
    head = tokens[start]
    if head.text == "select" and start > 0 and tokens[start - 1].kind == "(":
        return select_list(tokens[start + 1 :])
    if head.kind not in "ns":
        return False
    rest = tokens[start + 1 :]
    return bool(rest) and after_breakout(rest, tc, numeric=head.kind == "n")
