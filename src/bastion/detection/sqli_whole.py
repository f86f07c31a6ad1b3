"""Whole values that are SQL probes without a break-out: the value, as a whole, is the fragment a query takes.

Decision 0012 (and its addendum) bounds these: each rule reads the *whole* value, so the same SQL in a sentence, a
markdown fence or among other lines is a code snippet and passes.

- ``server_select``: ``SELECT`` and a select list with no ``FROM`` that reads the server itself: an information
  function called with no argument (``select version()``, ``SELECT hex(database())``, ``select user(),@@version``),
  a server variable, ``current_user``, a timing or file function given a literal (``select pg_sleep(5)``,
  ``select load_file('/etc/passwd')``), or calls nested over literals and compared (``SELECT
  INSTR('foobar','fo')=1``, ``SELECT DECODE(ENCODE('x','k'),'k')``). No form, search box or comment sends exactly
  that and nothing else; "Select plan(s)" and "select version" name no call of the kind.
- ``blind_comparison``: a string or code function over such a call (or a sub-select) compared with a literal:
  ``substr(version(),1,1)='5'``, ``ascii(mid(user(),2,1))>64``: the one-character oracle of blind injection.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from bastion.detection.sqli_grammar import Tokens

NO_ARGUMENT_INFO = frozenset({
    "database", "schema", "version", "user", "current_user", "session_user", "system_user", "current_database",
    "current_schema", "connection_id", "last_insert_id", "pg_backend_pid", "inet_server_addr", "sqlite_version",
    "db_name", "suser_name", "suser_sname", "user_name", "host_name", "getpgusername", "@@version",
})
"""Calls with empty parentheses that answer who and what the server is."""
LITERAL_ARGUMENT_INFO = frozenset({
    "sleep", "pg_sleep", "benchmark", "load_file", "pg_read_file", "pg_read_binary_file", "pg_ls_dir",
    "sys_context", "randomblob",
})
"""Calls that make the server wait or read a file, given a literal."""
_BARE_INFO = frozenset({"current_user", "session_user", "system_user", "current_database", "current_schema"})
_COMPARE = frozenset({"=", "<>", "!=", "<", ">", "<=", ">=", "<=>", "like", "regexp", "rlike"})
_TOP_KEYWORDS = frozenset({"null", "true", "false", "case", "when", "then", "else", "end", "as", "distinct", "all"})
_STRING_FUNCS = frozenset({"substr", "substring", "mid", "left", "right", "ascii", "ord", "hex", "unhex", "length",
                           "char_length", "instr", "locate", "position", "lower", "upper", "bin", "conv", "unicode",
                           "strcmp", "reverse", "md5", "sha1", "crc32", "binary", "lpad", "rpad"})


def _info_call(tokens: Tokens) -> bool:
    """A server information call (empty parentheses), a server variable, a bare ``current_user`` or a timing/file
    function given a literal anywhere in ``tokens``."""
    for i, tok in enumerate(tokens):
        if tok.kind == "v" and tok.text.startswith("@@"):
            return True
        if tok.kind == "w" and tok.text in _BARE_INFO:
            return True
        if tok.kind != "f" or i + 2 >= len(tokens):
            continue
        if tok.text in NO_ARGUMENT_INFO and tokens[i + 2].kind == ")":
            return True
        if tok.text in LITERAL_ARGUMENT_INFO and tokens[i + 2].kind in "ns":
            return True
    return False


def _expression(tokens: Tokens) -> tuple[bool, bool, bool] | None:
    """``tokens`` read as one SQL expression list: ``None`` unless the parentheses balance and every token outside
    them is a call, literal, variable, operator, comma or expression keyword; else (nested call, literal anywhere,
    comparison with a literal outside parentheses)."""
    depth = 0
    nested = literal = compared = False
    for i, tok in enumerate(tokens):
        if tok.kind == "(":
            depth += 1
        elif tok.kind == ")":
            depth -= 1
            if depth < 0:
                return None
        elif tok.kind in "nsv":
            literal = literal or tok.kind in "ns"
        elif tok.kind == "f":
            nested = nested or depth > 0
        elif depth == 0 and not (tok.kind in "o&," or (tok.kind == "k" and tok.text in _TOP_KEYWORDS)
                                 or (tok.kind == "w" and tok.text in _BARE_INFO)):
            return None
        elif tok.kind == "k" and tok.text in ("from", "select", "into"):
            return None
        if depth == 0 and tok.text in _COMPARE and i + 1 < len(tokens) and tokens[i + 1].kind in "nsf":
            compared = True
    return (nested, literal, compared) if depth == 0 else None


def server_select(tokens: Tokens) -> bool:
    """``tokens`` (a whole value, a trailing ``;`` dropped) are ``SELECT`` and a select list without ``FROM`` that
    reads the server (see the module docstring)."""
    if len(tokens) < 2 or tokens[0].text != "select" or tokens[1].kind not in "fvw(":
        return False
    shape = _expression(tokens[1:])
    if shape is None:
        return False
    nested, literal, compared = shape
    return _info_call(tokens[1:]) or (literal and (compared or (nested and tokens[1].kind == "f")))


def blind_comparison(tokens: Tokens) -> bool:
    """``tokens`` (a whole value) are a string function's call over a server information call or a sub-select,
    compared with a literal: ``substr(version(),1,1)='5'``, ``ascii(substring((select user()),1,1))>64``; or over
    another string function's call and a hex character code (``strcmp(left('pw',1), 0x69) = 1``: the character
    oracle that needs no ``SUBSTRING``; code compares with ``==``, and prose does not spell a letter as ``0x69``)."""
    start = 0
    while start < len(tokens) and tokens[start].kind == "(":
        start += 1
    if start >= len(tokens) or tokens[start].kind != "f" or tokens[start].text not in _STRING_FUNCS:
        return False
    depth = 0
    end = start + 1
    for end in range(start + 1, len(tokens)):
        depth += (tokens[end].kind == "(") - (tokens[end].kind == ")")
        if depth == 0:
            break
    else:
        return False
    inner = tokens[start + 1 : end]
    if not (_info_call(inner) or any(t.text == "select" for t in inner) or _char_code_oracle(inner)):
        return False
    rest = tokens[end + 1 :]
    while rest and rest[0].kind == ")":
        rest = rest[1:]
    if len(rest) == 3 and rest[1].text == "-":
        rest = [rest[0], rest[2]]  # = -1: strcmp's "less than"
    return len(rest) == 2 and rest[0].text in _COMPARE and rest[1].kind in "ns"


def _char_code_oracle(inner: Tokens) -> bool:
    """A string function's call and a hex character code (``0x69``, one or two bytes) among a call's arguments."""
    return any(t.kind == "f" and t.text in _STRING_FUNCS for t in inner) and any(
        t.kind == "n" and t.text[:2].lower() == "0x" and 3 <= len(t.text) <= 6 for t in inner)


_NAME = r"[\w$.`\"\[\]]{1,64}"
_STATEMENT_CUT = re.compile(
    r"\s*+(?:delete\s++from\s++" + _NAME + r"(?:\s++where\s[^;\n]{1,120}?)?"
    r"|update\s++" + _NAME + r"\s++set\s[^;\n]{1,120}?"
    r"|insert\s++into\s++" + _NAME + r"[^;\n]{1,160}?)\s*+;\s*+(?:--|\#)[ \t]*+\w{0,8}[ \t-]*+",
    re.I,
)
"""``DELETE FROM users;--``, ``update t set role='admin';#``: a whole value that is one statement that writes rows,
ended by ``;`` and a bare comment that cuts off what the application appends. A sentence does not end in ``;--``."""
_LEADING_STACK = re.compile(
    r"\s*+;\s*+(?:update\s++" + _NAME + r"(?:\s++set\s[^;\n]{1,120})?|delete\s++from\s++" + _NAME
    + r"(?:\s++where\s[^;\n]{1,120})?|shutdown)\s*+;?\s*+(?:(?:--|\#)[^\n]{0,16})?",
    re.I,
)
"""``;update users``, ``; delete from t``, ``;shutdown``: a whole value that opens with ``;`` then a statement that
writes or stops the server, stacked after a numeric parameter. No text starts with a semicolon."""
STATEMENT_HEADS = frozenset({"delete", "update", "insert"})
"""First words of the statements ``_STATEMENT_CUT`` reads (a value opening with ``;`` goes to ``_LEADING_STACK``)."""


_PROCEDURE_ANALYSE = re.compile(r"\bprocedure\s++analyse\s*+\(\s*+(?:\d++\s*+(?:,\s*+\d++\s*+)?)?(?:\)|$)", re.I)
"""MySQL's ``PROCEDURE ANALYSE(…)`` clause appended to a query (it reads out the columns of the result): the
British spelling and a parenthesis after it are SQL's, an open or a number-only one."""
_DELAY_NAME = re.compile(r"\s*+select\s++(?:pg_sleep|dbms_lock\.sleep|dbms_session\.sleep)\s*+[(;]?\s*+", re.I)
"""``select pg_sleep`` as the whole value: the timing probe cut before its argument; the names are code's."""
_PASSWORD_CAST = re.compile(
    r"\b[a-z_]\w{0,31}\s*+\(\s*+(?:password|passwd|pwd|pass|secret|hash|password_hash)\b[^()]{0,80}\)"
    r"\s*+::\s*+(?:int|integer|bigint|smallint|numeric)\b",
    re.I,
)
"""``overlay(password placing '' from 1 for 0)::int``: a credential column run through a function and cast to a
number with PostgreSQL's ``::``: the cast fails and prints the password in the error (error-based read)."""


def statement_fragment(value: str, low: str, head: str) -> tuple[int, int] | None:
    """fresh27's fragments without a break-out: a writing statement cut with ``;--``, a stacked statement opening
    the value, ``PROCEDURE ANALYSE(``, a cut ``select pg_sleep`` and a credential column cast to a number. ``head``
    is the value's first six characters, lower-cased, after any blanks."""
    if ";" in value and len(value) < 400 and (head[:1] == ";" or head in STATEMENT_HEADS):
        if _STATEMENT_CUT.fullmatch(value) if head[:1] != ";" else _LEADING_STACK.fullmatch(value):
            return 0, len(value)
    if "analyse" in low and (found := _PROCEDURE_ANALYSE.search(value)):
        return found.start(), found.end()
    if "_sleep" in low and len(value) < 64 and _DELAY_NAME.fullmatch(value):
        return 0, len(value)
    if "::" in value and (found := _PASSWORD_CAST.search(value)):
        return found.start(), found.end()
    return None


_LIMITED_TAUTOLOGY = re.compile(
    r"[^'\"\s]{0,32}(['\"])\s*+\)*\s*+(?:or|xor|\|\|)\s++(?:\d++|true|(['\"])\w{0,16}\2)\s++"
    r"(?:limit\s++\d++(?:\s*+,\s*+\d++)?|offset\s++\d++|order\s++by\s++\d++|group\s++by\s++\d++)"
    r"\s*+;?\s*+(?:--|\#|/\*)[ \t]*+\w{0,8}[ \t-]*+",
    re.I,
)
"""``' or 1 limit 1 --``: a break-out, ``OR`` a bare truthy operand, a clause that keeps one row (or sorts by a
column number) and a comment that cuts the rest off: the login bypass that returns the first account."""
_PLACEHOLDER_CUT = re.compile(
    r"[^\s'\"]{1,32}(['\"])\s*+(?:x?or|and)(?!\w)(?:\s*+[\w=<>!]{1,16}){0,4}?\s*+\?\s*+(?:--|\#)[ \t-]*+", re.I)
"""``a'or?--``, ``user'and id is not?--``: a quote glued to a word, a logic operator, at most a few operand words,
the ``?`` a fuzzer leaves for the operand, and a comment ending the value."""
_STRING_FUNC_HEAD = re.compile(r"\s*+\(*\s*+(?:" + "|".join(sorted(_STRING_FUNCS)) + r")\s*+\(", re.I)


def breakout_cut(value: str) -> tuple[int, int] | None:
    """``_LIMITED_TAUTOLOGY`` or ``_PLACEHOLDER_CUT`` as the whole value: the span from the quote."""
    if len(value) < 120 and ("--" in value or "#" in value or "/*" in value) and (
            (found := _LIMITED_TAUTOLOGY.fullmatch(value)) or (found := _PLACEHOLDER_CUT.fullmatch(value))):
        return found.start(1), len(value)
    return None


def string_func_head(value: str) -> bool:
    """The value opens with a string function's call (the cheap test before ``blind_comparison``)."""
    return _STRING_FUNC_HEAD.match(value) is not None


_XML_ATTRIBUTE = re.compile(r"[\w:.-]{1,64}\s*=\s*(?:\"([^\"<]{1,512})\"|'([^'<]{1,512})')")
XML_ATTRIBUTES = 64
"""At most this many attribute values of an embedded document are judged."""


def embedded_xml_attributes(value: str) -> Iterator[str]:
    """The attribute values of an XML document sent whole as a value (``<?xml …?><r><a k="…"/></r>`` in a JSON
    member, a form field or a header): the body parser reads a document's attributes only when it is the body, and
    the application that parses this one reads them all the same. The declaration's own ``version``/``encoding``
    are skipped."""
    start = value.find("?>")
    for n, m in enumerate(_XML_ATTRIBUTE.finditer(value, max(start, 0))):
        if n == XML_ATTRIBUTES:
            break
        yield html.unescape(m.group(1) if m.group(1) is not None else m.group(2))
