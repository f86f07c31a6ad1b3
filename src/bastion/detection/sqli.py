"""SQL injection by tokenizing, in the spirit of libinjection: structure, not keywords.

A value is tokenized three times, as libinjection does: as it stands (a numeric or bare context),
and as if it began inside a single- and a double-quoted SQL string. Comments are folded away,
keywords classified, and the token stream is judged by what an injection must do to work:

- break out of its context (close the string, or end a number) and then continue the statement
  with a condition (``' or 'a'='a``, ``1 and sleep(5)``), a clause (``' order by 3``), a comment
  that cuts the rest off (``admin'--``) or a second statement (``'; drop table t``);
- or splice a ``UNION SELECT`` anywhere;
- or, appended to a value without a quote, begin with a logic operator or clause (``and 1=1``,
  ``order by 3--``), compare two constants where a condition starts (``where 1=0``), read the
  database's own catalogue (``from pg_shadow``) or call a server-file or timing function.

Prose is safe because it never does both: "select a plan", "O'Brien and sons" and "rock 'n' roll"
tokenize to barewords after the quote, not to an SQL continuation. See ``sqli_grammar.py``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bastion.detection.mime_params import boundary_quote
from bastion.detection.sqli_appended import union_row, written_statement
from bastion.detection.sqli_grammar import (
    CATALOGS,
    DELAY_FUNCS,
    FINGERPRINT_FUNCS,
    PSEUDO_COLUMNS,
    TIMING_FUNCS,
    after_breakout,
    raw_value,
    statement,
)
from bastion.detection.sqli_values import undoubled, values_or_case_error, word_sleep
from bastion.detection.sqli_whole import (
    STATEMENT_HEADS,
    blind_comparison,
    breakout_cut,
    embedded_xml_attributes,
    server_select,
    statement_fragment,
    string_func_head,
)

_TOKEN = re.compile(
    r"""
     (?P<ws>[\s\xa0\x00-\x08\x0e-\x1f\x7f\ufffd]+)
    |(?P<vc>/\*!\d*|\*/)
    |(?P<c>\#[^\n]*+|--[^\n]*+|/\*.*?(?:\*/|$))
    |(?P<s>'(?:[^'\\]++|\\.|'')*+'?|"(?:[^"\\]++|\\.|"")*+"?)
    |(?P<bt>`[^`]*+`?)
    |(?P<n>0x[0-9a-f]++|0b[01]++|(?:\d++\.?\d*+|\.\d++)(?:e[+-]?\d++)?(?:[fd](?=union|select|from))?)
    |(?P<nl>(?-i:\\N))
    |(?P<jo>(?:<@|@>|(?:(?<=[}\]]['"])|(?<=[}\]]['"]\s))->>?)(?=\s*+['"]))
    |(?P<v>(?:(?<![\w$\[\]{}])|(?<=or)|(?<=and)|(?<=xor)|(?<=not)|(?<=select)|(?<=union)|(?<=where)|(?<=like)|(?<=having)|(?<=when)|(?<=then)|(?<=else)|(?<=div)|(?<=by))@@[\w$.]*+|@[\w$.]*+)
    |(?P<pw>%[\w%]++)
    |(?P<sp>(?<![\w$.])[nebx](?=')|::(?:\s|/\*.*?\*/)*+(?:int|integer|bigint|smallint|text|varchar|char|numeric|decimal|bool|boolean
       |date|json|jsonb|float|real|bytea|regclass|oid)\b(?:\s*+\[\])?)
    |(?P<w>[^\W\d][\w$]*+(?:\.[^\W\d][\w$]*+)*+)
    |(?P<o><=>|<>|!~\*?|~\*|!=|<=|>=|:=|==|<<|>>|\|\||&&|[=<>+\-*/%^|&~!])
    |(?P<p>[(),;])
    |(?P<x>.)
    """,
    re.S | re.I | re.X,
)

LOGIC = frozenset({"and", "or", "xor", "||", "&&"})
WORD_OPS = frozenset({"like", "ilike", "rlike", "regexp", "in", "is", "between", "div", "mod", "sounds", "glob"})
FUNCTION_OPS = frozenset({"like", "glob", "regexp", "mod"})
"""Word operators that are also functions (SQLite ``like(X, Y)``, MySQL ``mod(a, b)``) where an operand is expected."""
KEYWORDS = frozenset({
    "select", "insert", "update", "delete", "drop", "create", "alter", "truncate", "exec", "execute",
    "declare", "shutdown", "waitfor", "grant", "revoke", "replace", "merge", "call", "set", "union",
    "from", "where", "having", "group", "order", "by", "limit", "offset", "into", "outfile",
    "dumpfile", "values", "table", "database", "schema", "procedure", "null", "true", "false",
    "case", "when", "then", "else", "end", "exists", "all", "distinct", "as", "join", "not", "top",
    "delay", "user", "view", "function", "index", "trigger", "login", "load_file", "like",
})


CLAUSE_WORDS = frozenset({"from", "where", "join"})
"""Clause keywords no dialect has a function of: ``from(t)``, ``where(1=1)`` open a parenthesised table or condition
glued to the keyword (``…)from(information_schema.tables)group by 2``, fresh44), not a call."""


class Token(NamedTuple):
    kind: str
    """``s`` closed string, ``S`` unterminated string, ``n`` number, ``w`` bareword, ``k`` keyword,
    ``f`` function name (a word followed by ``(``), ``&`` logic, ``o`` operator, ``v`` variable, and
    the punctuation ``( ) , ;``; ``x`` is anything else."""
    text: str


def tokenize(value: str, limit: int = 0) -> tuple[list[Token], bool]:
    """Tokens with comments folded away, and whether the value ends in a comment. With ``limit``,
    stop after that many tokens (a breakout is judged on what comes right after the quote). A literal's dialect prefix
    (``N'…'``, ``E'…'``, ``X'…'``, ``B'…'``) and a PostgreSQL cast to a type (``'a'::text``, also with comments around
    the ``::``) fold into the operand they mark, and PostgreSQL's regex matches (``~*``, ``!~``) and JSON operators
    before a literal (``<@``, ``@>``; ``->`` and ``->>`` only after a JSON literal: "'a' -> 'b'" is a mapping in prose)
    are operators. A no-break space, a C0 control character (NUL, ``\\x07``, ``\\x0e`` …: MySQL and SQL Server read
    several as blanks, sqlmap's ``space2mssqlblank`` writes them) and U+FFFD separate tokens like a space: U+FFFD is
    what the decoder leaves for a byte that is not UTF-8, such as
    a Latin-1 no-break space (``%A0``), which MySQL reads as whitespace in a single-byte character set."""
    out: list[Token] = []
    trailing_comment = False
    for m in _TOKEN.finditer(value):
        if limit and len(out) >= limit:
            trailing_comment = False
            break
        kind = m.lastgroup or "x"
        text = m.group()
        if kind in ("ws", "vc", "sp"):
            continue
        if kind == "c":
            trailing_comment = True
            continue
        trailing_comment = False
        if kind == "s":
            closed = len(text) > 1 and text[-1] == text[0] and not _escaped_end(text)
            out.append(Token("s" if closed else "S", text))
        elif kind == "bt":
            out.append(Token("w", text))
        elif kind == "w":
            out.append(_word(text.lower()))
        elif kind == "nl":
            out.append(Token("k", "null"))  # MySQL's \N
        elif kind == "pw":
            out.append(Token("w", text))  # a LIKE pattern (%chair%) or percent-encoding residue (%C3%81)
        elif kind == "o":
            out.append(Token("&" if text in LOGIC else "o", text))
        elif kind == "jo":
            out.append(Token("o", text))  # PostgreSQL's JSON operators before a literal: '{…}' <@ '{…}', j -> 'k'

        elif kind == "p":
            if text == "(" and out and (
                (out[-1].kind in "wk" and out[-1].text not in LOGIC | WORD_OPS | CLAUSE_WORDS)
                or (out[-1].text in FUNCTION_OPS and (len(out) == 1 or out[-2].kind in "&o(,"))
            ):
                out[-1] = Token("f", out[-1].text)
            out.append(Token(text, text))
        else:
            out.append(Token(kind, text))
    return _fold(out), trailing_comment


def _escaped_end(text: str) -> bool:
    body = text[1:-1]
    return (len(body) - len(body.rstrip("\\"))) % 2 == 1


def _word(lower: str) -> Token:
    if lower in LOGIC:
        return Token("&", lower)
    if lower in WORD_OPS:
        return Token("o", lower)
    if lower in KEYWORDS:
        return Token("k", lower)
    return Token("w", lower)


def _fold(tokens: list[Token]) -> list[Token]:
    """Merge two-word clauses (``order by``, ``union all``, ``not like``) into one token."""
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out else None
        if prev and prev.kind == "k":
            if tok.text == "by" and prev.text in ("order", "group"):
                out[-1] = Token("k", prev.text + " by")
                continue
            if prev.text == "union" and tok.text in ("all", "distinct", "distinctrow"):
                continue
            if prev.text == "not" and tok.kind == "o":
                out[-1] = tok
                continue
        if prev and prev.text == "sounds" and tok.text == "like":
            out[-1] = tok  # MySQL's SOUNDS LIKE compares like LIKE
            continue
        if tok.kind == ")" and len(out) > 2 and prev and prev.kind == "w" and out[-2].kind == "(" and (
                out[-3].kind == "k" and out[-3].text in ("from", "join")):
            del out[-2]  # from (t): a table name in parentheses, read as the name (MySQL accepts both)
            continue
        out.append(tok)
    return out


_DYNAMIC_SOURCE = re.compile(r"\b0x[0-9a-f]{8,}+|\b(?:set|select)\s*+@[\w$#]++\s*+=", re.I)
_EXEC_VARIABLE = re.compile(r"\b(?:exec(?:ute)?|sp_executesql)\s*+(?:\(\s*+@[\w$#]++\s*+\)|@[\w$#]++)", re.I)
"""SQL Server's dynamic SQL: a statement spelled as a hex literal (``0x73656c656374…``) or assigned to a variable
(``set @q=…``), then run from that variable (``exec(@q)``, ``EXECUTE @s``, ``sp_executesql @q``), with or without the
``declare`` before it and whatever separates the two: the statement itself never appears in the value."""
_STACKED = re.compile(
    r";\s*+(?:/\*.{0,64}?\*/\s*|--[^\n]{0,64}\n\s*|\#[^\n]{0,64}\n\s*)*\(?\s*(?:select|insert|update|delete|drop|create|alter|truncate|exec|declare|shutdown|waitfor|set|call|begin"
    r"|(?:htp|htf|owa\w*+|sys|ctxsys|mdsys|dbms_\w++|utl_\w++|wwv_\w++)\s*+\.)",
    re.I,
)
_TIMING = re.compile(
    r"\b(?:" + "|".join(re.escape(f) for f in sorted(TIMING_FUNCS)) + r")\s*+(?:/\*.{0,64}?\*/\s*)*\(", re.I
)
_LEADING = re.compile(
    r"[\s(+\-]*(?:\.?\d|['\"]|/\*|\(\s*select|(?:and|or|xor|order\s+by|group\s+by|having|where|as|rlike|regexp)\b|&&"
    r"|\|\||if\s*\(|(?:declare|exec|execute|print|except|intersect)\b|values\s*\(|(?:in|from)\s*\(\s*select\b"
    r"|master\s*+\.|[sx]p_\w)",
    re.I,
)
_CONDITION_HINT = re.compile(
    r"(?:\b(?:and|or|xor|where|when|having|on)\b|&&|\|\||[,(])\s*+\(?\s*+['\"]?\w++['\"]?\s*+(?:=|<=>|like\b)", re.I
)
_VERSIONED = re.compile(
    r"/\*!(?:\d|\s*(?:['\"`]|(?:select|union|and|or|xor|from|where|having|order|group|insert|update|delete|drop|sleep"
    r"|benchmark|if|case|not|like)\b))",
    re.I,
)
"""A MySQL executable comment (``/*!50000union*/``, ``/*!1111'*/``): the server runs what it holds; a
minified licence banner (``/*! jQuery v3 */``) starts with a word instead."""


_STATEMENT_HEAD = re.compile(r"\s*(?:select\b.*\(\s*select\b|(?:drop|truncate)\s+[\w.`\[\]]+\s*;)", re.I | re.S)
"""A value that is itself a query around a subquery, or a DROP/TRUNCATE ended with ``;``: judged as raw SQL."""


def _raw_worth(value: str) -> bool:
    """A bare (unquoted) injection needs one of these; anything else is judged in the quoted contexts."""
    if _LEADING.match(value):
        return True
    low = value.lower()
    if "union" in low or "@@" in value:
        return True
    if ("=" in value or "like" in low) and _CONDITION_HINT.search(value):
        return True
    if ("from" in low or "into" in low or "join" in low or "table" in low or "update" in low) and any(
        c in low for c in CATALOGS
    ):
        return True
    if ";" in value and _STACKED.search(value):
        return True
    if "dual" in low and "select" in low:
        return True
    if "waitfor" in low:
        return True
    if "open" in low and ("openrowset" in low or "opendatasource" in low or "openquery" in low):
        return True
    if low.count("select") > 1 and "from" in low and "(" in value:
        return True  # a sub-select reading another: derived_subselect
    if low.lstrip().startswith(("select", "drop", "truncate")) and _STATEMENT_HEAD.match(value):
        return True
    return "(" in value and any(f in low for f in TIMING_FUNCS) and _TIMING.search(value) is not None


BREAKOUT_TOKENS = 24
_GLUED_SELECT = re.compile(r"\bselect[^\s\w(][^\s]{0,40}?(?:(?<![a-z])|(?<=\\n))from(?:[`(\[]|$)", re.I)
"""``SELECT-1e1FROM`t```, ``SELECT~1.FROM`t```, ``SELECT\\NFROM`t```: MySQL's tokenizer needs no space
around a number, ``\\N`` or a quoted name, so a whole query fits in one word. Code and prose put spaces there."""
_EMPTY_SPLIT = re.compile(r"/\*\*/|<>|\\?([\"'])\s*(?:[,+]|\|\|)\s*\\?\1")
_SPLIT_UNION = re.compile(r"\bunion\s*+(?:all\s*+|distinct(?:row)?\s*+)?select(?!ion|or|ed|s\b)", re.I)
"""``un/**/ion sel/**/ect``, ``un<>ion sel<>ect``, ``un","ion se"+"lect``: keywords split by something a naive
filter deletes, or cut into string literals that a concatenation (``,`` in a join, ``+``, ``||``) glues again."""
_LITERAL_CUT = re.compile(r"[\"']\s*(?:[,+]|\|\|)\s*\\?[\"']")
"""A literal closed and another opened with only a concatenation between (``","``, ``'||'``): the only shape worth the
split check. Caseless and letter-anchored versions of it cost four times as much on every quoted value."""


_INTO_FILE = re.compile(r"\binto\s*(?:/\*.{0,64}?\*/\s*)*(?:outfile|dumpfile)\s*(?:/\*.{0,64}?\*/\s*)*['\"]", re.I)
"""``INTO OUTFILE '/var/www/x.php'``: the database writes a file the attacker names (MySQL); no prose writes it."""
_EMPTY_COMMENT = re.compile(r"(?<=[a-z])/\*\*/(?=[a-z])", re.I)
_COMMENT_GLUED = re.compile(
    r"\b(?:select|union|insert|update|delete|drop|from|where|having|exec|declare|into|and|or)(?:/\*(?![+!])|\*/)"
    r"|\*/(?:select|union|insert|update|delete|drop|from|where|having|exec|declare|into)\b",
    re.I,
)
"""An SQL keyword glued to an inline comment (``SELECT/*x*/pw/**/FROM``, ``DROP/*x*/t``, ``DR/**/OP``, the
``select*/`` left when a query's own comment is closed): comments standing in for spaces, a filter evasion.
Prose and code put spaces around a comment; an optimizer hint (``SELECT/*+ INDEX */``) is not counted."""


_CONTROL_BLANK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]+")
"""C0 control characters that Python's ``\\s`` does not count as blanks but a database reads as one (MySQL: ``\\x0b``,
``\\x0c``, ``\\xa0``; SQL Server: ``\\x01``–``\\x0f`` and NUL; sqlmap's ``space2mssqlblank``, ``space2mysqlblank``)."""
_SQL_WORDS = (r"(?:select|union|insert|update|delete|drop|from|where|having|exec|declare|into|and|or|xor|not|like"
              r"|order|group)")
_CONTROL_GLUED = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]" + _SQL_WORDS + r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
    r"|(?:^|[\t\n\r ])" + _SQL_WORDS + r"[\x00-\x08\x0e-\x1f\x7f](?=[\w'\"(@])"
    r"|(?<=[\w'\")])[\x00-\x08\x0e-\x1f\x7f]" + _SQL_WORDS + r"(?=[\t\n\r ]|$)",
    re.I,
)
"""An SQL keyword with control characters for blanks (``1\\x0bor\\x0b1``, ``SELECT\\x0eid\\rFROM\\x07users``): a blank
only a filter evasion writes, as ``_COMMENT_GLUED`` for comments. Text never puts a NUL, BEL or shift-out beside a
word; a vertical tab (Word's line break) or a form feed (a page break in extracted text) counts only on both sides of
the keyword, so a line or page that starts with "From" or ends with "and" is still text."""


_GAP = r"(?:\s|/\*.*?\*/)*"
_COMMENTED_CONDITION = re.compile(
    r"\s*-?\d+" + _GAP + r"(?:or|and|xor|\|\||&&)" + _GAP + r"(?:true|false|-?\d+)" + _GAP + r"(?:--|\#)?\s*",
    re.I | re.S)
"""A whole value that is a number, a logic operator and a constant with inline comments between them (``7 or /**/
true``, ``7/*x*/and/*+ hint */0``): the boolean pair of a bare injection, its blanks written as comments (an optimizer
hint included) to pass filters that look for ``or true``; no field writes a comment inside "1 or 2"."""
_SORT_THEN_COMMENT = re.compile(
    r"\s*+(?:(?:order|group)\s++by\s++)?[\w.]++(?:\s*+,\s*+[\w.]++)*+\s++(?:asc|desc)\s*+(?:--|\#|/\*)[^a-z]*", re.I)
"""A whole value that is a sort key (or a list of them, or the whole ``ORDER BY …`` clause), its direction and a
comment (``price DESC -- ``, ``ORDER BY 1 ASC--``, ``2,1 desc#``): the value is spliced into ORDER BY and the comment
cuts off the rest of the query. "name asc" or "ORDER BY name ASC" alone is an ordinary sort parameter. Possessive:
each run of the value is read once."""
_DELAY_CALL = re.compile(r"(?:" + "|".join(re.escape(f) for f in sorted(DELAY_FUNCS)) + r")\s*\(", re.I)
_CODE_DELAY_OPEN = re.compile(
    r"""(['"])\s*[.+]?\s*(?:\(\s*function\s*\(\s*\)\s*\{|eval\s*\(|[\w.]*sleep\s*\()""", re.I)
_CODE_DELAY_MARK = re.compile(r"sleep\s*\(|new\s+date\b|date\s*\.\s*now", re.I)
_CODE_DELAY_TAIL = re.compile(r"""\)\s*[.+]?\s*(['"])\s*$""")
_CODE_DELAY_WHOLE = re.compile(
    r"""(?:^\s*eval\s*\(.*?\bsleep\s*\(\s*\d+.*|\{\$\{\s*[\w.]*sleep\s*\(\s*\d+\s*\)\s*\}\}?)\s*$""", re.I | re.S)
"""Code that waits, spliced into the application's string and evaluated with it: a quote, then a self-invoking
JavaScript function busy-waiting on ``new Date()``, an ``eval(…)`` or a ``….sleep(n)`` call glued by ``.``/``+``,
then the same quote ending the value (``x' (function(){…while(new Date()-t<9000);}()) '``, ``a'.sleep(9).'``);
a whole value that is an ``eval`` of code calling ``sleep(n)``; PHP's ``{${sleep(n)}}`` in a double-quoted string.
A time probe in a server-side JavaScript, Python or PHP evaluator (CRS files it with SQL). Code in a field does not
end by closing a string it never opened."""


def _code_delay(value: str) -> int | None:
    """Where the code that waits starts (see above), found in linear time: the value must end in ``)`` and a quote;
    the first opening quote of that kind directly followed by the code, with a delay call at or after it, starts it.
    (One regex with a look-ahead per quote read the rest of the value once per quote: quadratic.)"""
    tail = _CODE_DELAY_TAIL.search(value, max(0, len(value) - 64))
    if tail is not None:
        marks = [m.start() for m in _CODE_DELAY_MARK.finditer(value)]
        if marks:
            for m in _CODE_DELAY_OPEN.finditer(value, 0, tail.start()):
                if m.group(1) == tail.group(1) and m.start() < marks[-1]:
                    return m.start()
    whole = _CODE_DELAY_WHOLE.search(value)
    return whole.start() if whole is not None else None


_JAVA_ROUTINE = re.compile(r"[\"`]\s*(?:java|javax|org|com)\.[\w$]+(?:\.[\w$]+)+\s*[\"`]\s*\(", re.I)
"""A quoted Java method name called like a function (``"java.lang.Thread.sleep"(5000)``): HSQLDB and H2 run any
static Java method named this way."""


_SQL_SERVER_CALL = re.compile(
    r"\bsys\s*\.\s*fn_[a-z]\w*\s*\(|\bhashbytes\s*\(\s*n?'(?:md[245]|sha[12]?|sha2_(?:256|512))'"
    r"|\bconvert\s*\(\s*n?(?:var)?(?:char|binary)\s*\(\s*(?:\d+|max)\s*\)\s*,", re.I)
"""SQL Server's own functions in a value: ``sys.fn_sqlvarbasetostr(…)``, ``HashBytes('MD5', …)``,
``CONVERT(VARCHAR(32), …, 2)`` (the type first, as only T-SQL writes it). An injected expression needs no quote to
break out when the application splices the value in unquoted (``LOWER(CONVERT(VARCHAR(32),HashBytes('MD5','1'),2))``
in a SOAP field); these names are SQL's, not a field's."""
_SELECT_ARITHMETIC = re.compile(
    r"(?:^|[>\s(])select\s+-?\d+\s*[-+*/]\s*-?\d+\s*(?:$|<|\)|;|--|#|as\b|from\b)", re.I)
"""A ``SELECT`` of one product or sum of two numbers (``select 547653*865674 as id``, ``<DATA> select 42540*41369
</DATA>``): the probe that proves a value runs as a statement when the result appears in the response."""
_SELECT_NUMBER = re.compile(r"select\s+-?\d")
"""The cheap first look for ``_SELECT_ARITHMETIC``, on the lower-cased value (a literal start, no case folding)."""


_BREAKOUT_UNION = re.compile(
    r"^(?:[\w.@-]{0,40}(?:['\"`]|\\x27|\\x22)\s*\)*|-?\d+\s*\)*)?\s*union(?:\s++(?:all|distinct(?:row)?))?"
    r"(?:\s++|\s*+\(\s*+)select\s*+"
    r"(?:(?:--|#)[^\n]{0,40}|/\*|;|[^\w\s]{1,3})?\s*$",
    re.I,
)
"""A value that is, or closes the string (or a ``\x27`` escape of its quote) or a number and then is, a
``UNION SELECT`` with nothing after it but a comment (a line comment's words too: ``union select#foo``, what is left
of ``union#foo⏎select#foo`` once its blank-standing comments are folded) or stray punctuation: a fuzzer's probe for
the error an unbalanced union raises (MySQL's ``DISTINCTROW`` spelling and a ``UNION(SELECT)`` in parentheses
too). A quoted phrase ends with its own quote; a sentence has words after "select"."""


_UNION_WORD = re.compile(r"(?<![\w$])union(?![\w$])", re.I)
_UNION_SCAN = 8
"""At most this many ``UNION`` words are judged per value, each on a bounded slice: a value of nothing but "union"
costs no more than eight short token walks."""


def _appended_union(value: str) -> int | None:
    """Where a ``UNION SELECT`` of a probe's row starts (``sqli_appended.union_row``), read from the ``UNION`` on:
    what precedes it (a quote, a ``#``, an operator run) does not hide it."""
    for count, m in enumerate(_UNION_WORD.finditer(value)):
        if count == _UNION_SCAN:
            break
        tokens, _ = tokenize(value[m.start() : m.start() + 240], 16)
        if union_row(tokens):
            return m.start()
    return None


_CATALOG_CONCAT = re.compile(
    r"\b(?:group_)?concat(?:_ws)?\s*+\((?=[^()]{0,200}?\b0x[0-9a-f]{2,8}\b)(?=[^()]{0,200}?\b(?:table_name|column_name|"
    r"table_schema|schema_name)\b)",
    re.I,
)
"""``concat(column_name,0x3e,table_schema,0x3e,table_name)``: catalog column names glued with a hex separator (``0x3e``
is ``>``, ``0x3a`` ``:``), the row a UNION injection dumps the schema with, markers and all. SQL written by hand joins
names with quoted separators (``concat(table_schema,'.',table_name)``), not hex codes. Both looks are bounded to the
call's first 200 characters without a nested parenthesis."""


_ORACLE_OOB = re.compile(
    r"\|\|\s*(?:sys\.)?(?:utl_(?:http|inaddr|smtp|tcp|file)|dbms_(?:ldap|pipe|lock|java|xmlquery))\s*\.", re.I
)
"""Oracle's network and timing packages concatenated into a string (``'||UTL_HTTP.REQUEST(…)``,
``||dbms_pipe.receive_message(…)``): an out-of-band or time-based probe; prose does not glue ``||`` to them."""


_MATH = r"(?:pi|cos|sin|tan|cot|floor|ceil|ceiling|abs|sqrt|ln|log|exp|round|sign|ord|ascii|length|char_length)"
_CONST = (r"(?:[-+~!(]\s*)*(?:\d+(?:\.\d+)?|" + _MATH + r"\s*\((?:[^()]|\([^()]*\)){0,40}\))(?:\s*\))*")
_CONST_EXPR = _CONST + r"(?:\s*[-+*/%]\s*" + _CONST + r")*"
_CONSTANT_CONDITION = re.compile(
    r"(?:\b(?:and|or|xor)\b|&&|\|\|)\s*" + _CONST_EXPR + r"\s*(?:=|<>|!=|<=>)\s*" + _CONST_EXPR
    + r"\s*(?:$|--|\#|/\*|;|\)(?=[\s)]*(?:$|--|\#|/\*|;|(?:and|or|xor)\b|&&|\|\|)))", re.I)
"""``HOPE AND -8=3``, ``PI() && COS(PI())=-1``, ``x AND (8)=(3)``, ``x OR (-2)=(-5)``: a comparison of two constants
(numbers, signs inside or outside parentheses, arithmetic, math functions) joined to the value by a logic operator
and ending it (or cut off by a comment): the true/false pair a blind-injection probe sends. Only (in)equality:
``5 < 6 && 7 > 3`` is arithmetic in code or a formula; no field value ends by equating constants after "and" this
way. A closing parenthesis after it counts when the value ends there or goes on in logic (``1) and (8)=(3)) or …``),
not when prose follows ("x and (8)=(3) is a bad sum")."""
_CLOSE_THEN_SQL = re.compile(
    r"^\s*\)+\s*(?:(?:or|and|xor|\|\||&&)\s*\(*\s*(?:select|exists|not\s+exists)\b|union\s+(?:all\s+)?select\b)", re.I)
"""``) OR (SELECT …``, ``)) UNION SELECT``: a value that closes the query's own parenthesis and goes on in SQL."""
_SUBSELECT_OPERAND = re.compile(r"\b(?:div|mod|and|or|xor)\s*\(\s*select\s+[\w(`\[\"]", re.I)
"""``TRUE DIV(SELECT ORD(…``: a sub-select as the operand of an operator (a boolean/arithmetic oracle)."""
_CHAR_ORACLE = re.compile(
    r"\b(?:ascii|ord|hex|unicode)\s*\(\s*(?:(?:substring|substr|mid|left|right)\s*\(\s*)?\(\s*select\s+[\w*@`\"\[(]",
    re.I)
"""``ascii(substring((select pw from users limit 1),1,1))``: the code of one character of a sub-select's answer, the
oracle of blind extraction (compared with a number, one guess per request). SQL written for use takes the code of a
column, not of a one-character cut of a sub-select."""
_EMPTY_EXPONENT = re.compile(r"\d\.e(?=\s*[(),])", re.I)
"""``1.e(``: a float with an empty exponent glued to a parenthesis or comma, which MySQL's parser drops; sprinkled
between the words of a query (``1.e(ascii 1.e(substring(…``) it hides the query from a filter. Read as a blank."""
_CHAR_CODE = r"(?:0x[0-9a-f]{1,8}|\d+)"
_CHAR_CHAIN = re.compile(
    r"\b(?:chr|char)\s*\(\s*\d+\s*\)\s*(?:\|\||\+|,|\.)\s*(?:chr|char)\s*\(\s*\d"
    r"|(?:\b|(?<=\d))(?:chr|char)\s*\(\s*" + _CHAR_CODE + r"\s*\)\s*(?:chr|char)\s*\(\s*\d", re.I)
"""``chr(11)||chr(12)``, ``CHAR(115)+CHAR(101)``, PHP's ``chr(105).chr(100)``: a string spelt from character codes,
the way filters are evaded. Calls glued to each other with no operator, codes in hex too (``7char(0x22)char(0x22)``):
the string building that quote-breaking probes try; no programming language writes two calls side by side (a hex
chain joined by ``+`` is left to code text: ``chr(0x41) + chr(0x42)`` is Python)."""
_PROSE_AROUND = re.compile(r"[^\W_][\w\s.,:!?-]*")
"""Plain words (letters, digits, blanks, sentence punctuation): what surrounds a character-code chain in
documentation ("Use chr(10)||chr(13) for CRLF"). A probe puts a quote, an operator or a clause there, or nothing."""


def _documented_chain(value: str, start: int) -> bool:
    """The character-code chain at ``start`` is quoted in a sentence: plain words before it and after the last
    call of the chain, two words at least and none of them SQL's (``chr(1)||chr(2) where``, ``or chr(9)…``)."""
    end = start
    while (m := _CHAIN_LINK.match(value, end)) is not None:
        end = m.end()
    head, tail = value[:start].strip(), value[end:].strip()
    if not all(not part or _PROSE_AROUND.fullmatch(part) for part in (head, tail)):
        return False
    words = re.findall(r"[^\W\d_]+", head + " " + tail)
    return len(words) > 1 and not any(w.lower() in KEYWORDS or w.lower() in LOGIC for w in words)


_CHAIN_LINK = re.compile(r"\s*(?:\|\||\+|,|\.)?\s*(?:chr|char)\s*\(\s*" + _CHAR_CODE + r"\s*\)", re.I)


_OPERAND = (r"(?:[a-z_]\w*\s*\((?:[^()]|\([^()]*\)){0,40}\)|\d+(?:\.\d+)?|(?:"
            + "|".join(PSEUDO_COLUMNS) + r")\b)")
_SELF_EQUAL = re.compile(
    r"(?:^|\b(?:and|or|xor)\b|&&|\|\|)\s*(?P<e>" + _OPERAND + r")\s*=\s*(?P=e)\s*(?:$|--|\#|/\*|;|\))"
    r"|^\s*\d+::[a-z]+\d*\s*=\s*\d+\s*$", re.I)
"""``connection_id()=connection_id()``, ``crc32('x')=crc32('x')``, ``1337=1337``, ``5::int=5``: an expression equal
to itself, the whole value or after a logic operator, is how a probe asks which database runs the query (the
comparison errors where the function does not exist, and a cast with ``::`` is PostgreSQL's); no field value is a
tautology written in SQL. Only the same text on both sides: ``E=mc2`` and ``f(x)=2`` stay data. A pseudo-column
(``ROWNUM=ROWNUM``, ``ctid=ctid``) counts like a call; another bare word equal to itself (``x=x``) stays data."""
_FINGERPRINT_COMPARED = re.compile(
    r"\s*(?P<call>[a-z_]\w*\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\)){0,60}\))\s*"
    r"(?:(?:=|<>|!=|<=?|>=?)\s*-?\d+(?:\.\d+)?|between\s+-?\d+\s+and\s+-?\d+)\s*(?:--|\#|;)?\s*", re.I)
_FINGERPRINT_CALL = re.compile(r"\b(?:" + "|".join(FINGERPRINT_FUNCS) + r")\s*\(", re.I)
"""A whole value that is one call compared with a number (``last_insert_rowid()>1``, ``cdbl(cvar(2))=2``,
``IIF(ATN(1)>0,1,0) BETWEEN 3 AND 1``) where a function of one database family appears in the call and every
argument is a constant: a probe that errors everywhere but there. ``len(x)>1``, ``sin(0)=0`` and ``f(g(2))=4`` name
no such function; VB code (``CInt(txt) = 1``) passes a variable."""
_BARE_NAME = re.compile(r"\b[a-z_]\w*+(?!\s*\()", re.I)
_SQL_ONLY_STATEMENT = re.compile(
    r"\bxp_(?:dirtree|fileexist|subdirs)\s*\(?\s*n?'|\bcopy\s+[\w.\"]+\s+(?:from|to)\s+program\s+'"
    r"|^\s*attach\s+(?:database\s+)?'[^']*'\s+as\s+\w"
    r"|\b(?:backup\s+(?:log|database)|restore\s+(?:verifyonly|headeronly|filelistonly|database|log))\b"
    r"[^;]{0,80}?\b(?:to|from)\s+disk\s*=\s*n?'"
    r"|\bfrom\s+master\s*\.\s*(?:(?:dbo|sys)\s*)?\.\s*(?:sys\w+|sql_logins)\b"
    r"|\bcreate\s+(?:or\s+replace\s+)?function\s[^;]{0,120}?\breturns\s[^;]{0,60}?\bas\s+'[^']{0,200}\.(?:so|dll)(?:\.\d+)*'"
    r"|\bexec(?:ute)?\s*\(\s*n?'[^\n]{0,300}'\s*\)\s*at\s+\[?\w|\bdbms_xmlgen\s*\.\s*getxml\s*\(\s*'\s*select\b"
    r"|\)\s*on\s+duplicate\s+key\s+update\s+[\w`.\"]+\s*=", re.I)
"""Statements only SQL writes, whatever the value around them: SQL Server's file-system procedures
(``xp_dirtree '\\\\host\\x'``) and ``BACKUP … TO DISK =``/``RESTORE … FROM DISK =`` (each reaches a share and leaks
the service account's hash), its catalogue read from ``master`` (``FROM master..sysobjects``,
``master.sys.sql_logins``), PostgreSQL's ``COPY … FROM PROGRAM '…'`` (runs a command) and SQLite's
``ATTACH DATABASE '…' AS x`` (writes a file where it is told), and MySQL's ``…) ON DUPLICATE KEY UPDATE col=``
after a closed VALUES row (an INSERT turned into an overwrite of an existing row, the password of an account the
attacker names). An upsert quoted whole in a code snippet opens its own row: ``VALUES (1) ON DUPLICATE …``."""
_STATEMENT_WORDS = ("xp_", "program", "attach", "disk", "master", "returns", "exec", "xmlgen", "duplicate")
_SORT_ITEM = r"[\w.`\"\[\]]+(?:\s+(?:asc|desc))?"
_LIST_SUBSELECT = re.compile(
    r"\s*" + _SORT_ITEM + r"(?:\s*,\s*" + _SORT_ITEM + r")*\s*,\s*\(+\s*select\s+"
    r"(?:-?\d+|\*|null|@@?\w+|[a-z_]\w*\s*\([^()]{0,40}\))\s*(?:\)|from\b|,)", re.I)
"""``price,(select 1 from users)``, ``id desc,(select @@version)``: a sort or column list (what an ORDER BY or a
field-selection parameter is spliced into unquoted) with a parenthesised sub-select as one of its items, its select
list a number, ``*``, ``null``, a variable or one call. "size,(select 2 items)" goes on in words."""
_WHOLE_PROBE = re.compile(
    r"\s*(?:order\s+by\s+\d+|select\s+(?:[a-z_]*version|current_user|current_database|database|user)\s*\(\s*\))"
    r"\s*+(?:;|--|\#)?\s*+", re.I)
"""A whole value that is the column-count probe ``order by 3`` or a bare ``select sqlite_version();``: a fragment
only a query takes. Possessive blanks: ``order by 1`` then 128 KiB of blanks took minutes, each split of the run
between the two blank runs tried in turn."""
_CAST_ERROR = re.compile(
    r"\b(?:cast\s*\(\s*\(\s*select\s[^;]{0,200}?\bas\s+(?:int|integer|bigint|smallint|numeric|decimal|signed)\b"
    r"|convert\s*\(\s*(?:int|integer|bigint|numeric)\s*,\s*\(\s*select\s)", re.I)
"""``cast((select name from t limit 1) as numeric)``, ``convert(int,(select top 1 …))``: a sub-select turned into a
number, which fails and prints the text it read in the error (PostgreSQL's and SQL Server's error-based read). Code
casts a column: ``CAST(price AS int)``."""
_CHAR_CONCAT = re.compile(r"\b(?:chr|char)\s*\(\s*\d+\s*\)\s*\|\|\s*\(?\s*(?:[a-z_]\w*\s*\(|select\s)", re.I)
"""``chr(126)||version()``, ``chr(126)||(select name from t limit 1)``: a character code glued by SQL's ``||`` to a
function call or a sub-select, the marker an error-based probe wraps around what it reads."""


_QUOTE_OPERATOR_QUOTE = re.compile(
    r"""\s*(?:(['"])(?!\*+\1)(?:\s+|[-+*/%&|^=<>]*(?:\|\||&&)\d*|[-+*/%&|^=<>]+)\1|(['"])\s+\2[^\W\d_]\w*|`(?:\|\||[+&^])[^\W\d_]\w*)\s*""")
"""A whole value that is a quote, SQL operators (or only blanks) and the same quote: ``'&'``, ``"^"``, ``'-||0'``,
``' '``. Spliced into ``'…'`` it closes the string and joins it to the empty string the application's own quote
opens (``name=''&''``), the authentication-bypass probe; a quote, blanks, the quote and a word (``' 'x``) glues a
second literal to the closed one, as MySQL concatenates adjacent strings; a backtick then ``+``/``||`` and a word
does the same to a quoted name. No name or text is only quoted operators: a signed number (``"-1"``, ``"+44"``) and
a quoted word (``'and'``) stay data, and so does a quoted operator inside text (``TOM "&" JERRY``). A quoted
wildcard alone (``"*"``) is a search for anything, as libinjection's false-positive list has it."""


_BACKTICK_DELAY = re.compile(
    r"\s*[\w.$-]{0,40}`\s*\)*\s*(?:,|\b(?:and|or|xor)\b|&&|\|\||[-+*/|^=])\s*\(*\s*(?:"
    + "|".join(re.escape(f) for f in sorted(DELAY_FUNCS))
    + r")\s*\(\s*\d(?:[^()\n]|\([^()\n]{0,40}\)){0,60}\)\s*\)*\s*(?:\#|--|/\*)[^\n]{0,40}", re.I)
"""A value that closes a backtick-quoted name (the application's ``ORDER BY `…``` or column list) and goes on to a
time function and a comment that cuts the rest off (``x`,sleep(3)#``, ``id` and benchmark(9,md5(1))-- -``): the
blind time probe of the quote breakouts, for an identifier. Markdown spells a code span with a backtick on both
sides (``use `sleep(5)` here``), never a comma or an operator straight after the closing one then a comment."""


def _backtick_breakout(value: str) -> int | None:
    """Where a value closes a backtick-quoted name and goes on in SQL that a comment cuts off or a second statement
    follows (``42` WHERE 5=5;SELECT (CASE …)--``, ``id`=`x`;SELECT …--``): the application's `` `…` `` identifier
    (a column or table name it quotes, MySQL and SQLite) ended by the value, the breakout of the two string quotes
    for a name. The backtick must be glued to the name it ends and the value must hold an odd number of them:
    markdown opens a code span after a blank and closes every span it opens (``run `x; select 1` here``). What
    follows is SQL cut off by a bare comment (``_BARE_COMMENT_END``) or holding a second statement. The backtick may
    also open the value when ``;`` or ``)`` follows it at once (```;insert into admins … ;--``, a suffix the application
    glues to a name it quotes, fresh43): no code span or prose starts that way."""
    tick = value.find("`")
    if not (tick == 0 and value[1:2] in (";", ")")) and (
            tick < 1 or not (value[tick - 1].isalnum() or value[tick - 1] in "_)]")):
        return None
    if value.count("`") % 2 == 0:
        if (closer := _COMMENTED_TICK.search(value)) is None or closer.start() <= tick:
            return _backtick_reopened(value, tick)
        value = value[: closer.end() - 1]  # the last backtick sits in the closing comment: it balances nothing
    tokens, tc = tokenize(value[tick + 1 :], BREAKOUT_TOKENS)
    cut = tc and _BARE_COMMENT_END.search(value, max(tick, len(value) - 24)) is not None
    if (cut or any(tok.kind == ";" for tok in tokens)) and after_breakout(tokens, tc):
        return tick
    return None


_COMMENTED_TICK = re.compile(r"(?:--|\#)[ \t]*+`$")
"""A comment that ends the value with a backtick in it (``users`where 1=(updatexml(…))#```, fresh44): the exploit
closes the name it opened for symmetry, but the comment swallows that backtick, so the value still ends the
application's name once and the rest is SQL cut off."""
_REOPENED_NAME = re.compile(r"`[^`\s]{1,64}")


def _backtick_reopened(value: str, tick: int) -> int | None:
    """Where a value closes a backtick-quoted name, goes on in a condition over quoted names and ends by opening one
    more that the application's own closing backtick completes (``1`&`1`=`1``, ``-1`)oR`1`=(`1``): the ``' or '1'='1``
    break-out of the string quotes, for an identifier (MySQL compares the names' values). Every backtick after the
    first is one of a pair except the last, which opens a name with no blank in it and ends the value; the rest is
    judged as the string break-out is, each quoted name read as a string. A markdown code span opens after a blank
    and is closed in the value (``x `a` or `b` y``)."""
    last = value.rfind("`")
    if last == tick or len(value) > 400 or _REOPENED_NAME.fullmatch(value, last) is None:
        return None
    tokens, tc = tokenize(value[tick + 1 :], BREAKOUT_TOKENS)
    names = [Token("s" if len(t.text) > 1 and t.text.endswith("`") else "S", t.text) if t.text[:1] == "`" else t
             for t in tokens]
    return tick if after_breakout(names, tc) else None


_BARE_COMMENT_END = re.compile(r"(?:--|\#)[ \t]*+\w{0,8}[ \t-]*$")
"""A comment that ends the value holding at most one short word (``--``, ``-- -``, ``#``, ``-- kqzv``): a cut, not a
remark ("foo` and bar -- it broke")."""


_TRUNCATED_CONDITION = re.compile(
    r"""\s*(?P<pre>[^\s'"]{0,40})(['"])\s*x?or(?!\w)\s*"""
    r"""(?:\d+(?:\s*,\s*\d+)*|(['"])\w{0,16}\3|(?P<word>[^\W\d]\w{0,30}))\s*(?P<sign>[-=<>!@]{1,2})\s*""", re.I)
"""A break-out quote, ``or``/``xor``, one operand and a comparison sign or stray punctuation ending the value
(``zz' or 5>``, ``' xor 'k' =``, ``'or 7,8@!``): a tautology the fuzzer cut short, probing for the syntax error it
raises. The quote is the first thing or ends the first word (a login, an e-mail address); after it a word operand
ends in a comparison, or stands alone after the quote: "students' or teachers!" is prose."""
_TRUNCATED_END = frozenset("-=<>!@")
_QUOTE_THEN_OR = re.compile(r"""\s*['"]\s*x?or\s*""", re.I)
"""A whole value that is a quote and ``or`` alone (``' or``, ``" OR``): the login break-out cut before its operand,
sent to make the query fail or, where the application appends its own ``'``-quoted tail, to complete a tautology
(fresh43's Proverbs Web Calendar password). A quote is never followed by a bare ``or`` and nothing else in text."""


_DROPPED_NAME = re.compile(
    r";\s*+(?:drop|truncate)\s++[\w$.`\"\[\]]++\s*+(?:;\s*+)?(?:--|\#|/\*)\W*$", re.I)
"""``1; DROP members--``, ``x'; truncate logs;#``: a second statement that drops or empties one guessed table (no
``TABLE``: MySQL and PostgreSQL take ``TRUNCATE name``, and a probe guesses) and ends the value with a comment that
cuts the rest of the query off. A plan in prose goes on in words ("1; drop members from the list", "Sprint 3; drop
tasks #12") or ends with its own semicolon ("v2: add x; drop y;")."""


_NAME_PART = r"(?:[\w$]++|`[^`\n]{1,64}`|\[[^\]\n]{1,64}\]|\"[^\"\n]{1,64}\")"
_NAME = _NAME_PART + r"(?:\s*+\.\s*+" + _NAME_PART + r")*+"
_CODE_NAME = r"(?=[^\s,;]*[_.$\d`\[\"])" + _NAME
"""A name written as code: with ``_``, ``.``, ``$`` or a digit in it, or quoted (```t```, ``[dbo].[t]``, ``"t"``).
"drop table walnut" (a search for furniture) names a plain word."""
_DANGEROUS_STATEMENT = re.compile(
    r"\s*(?:"
    r"drop\s+(?:temporary\s+)?(?:table\s+(?:if\s+exists\s+)?" + _CODE_NAME + r"|table\s+if\s+exists\s+" + _NAME
    + r"|(?:database|schema|function|procedure|trigger|login|sequence)\s+(?:if\s+exists\s+)?" + _NAME
    + r"(?:\s*\([\w\s,\[\]\"]{0,200}\))?)"
    r"(?:\s*,\s*" + _NAME + r")*(?:\s+(?:cascade|restrict))?"
    r"|truncate\s+table\s+" + _CODE_NAME +
    r"|alter\s+(?:database|schema|login)\s+" + _NAME + r"\s+(?:set|modify|owner|rename|with|add|remove)\s[^;\n]{1,120}"
    r"|load\s+data\s+(?:(?:low_priority|concurrent|local)\s+)*infile\s+'[^'\n]{0,200}'[^;\n]{0,200}"
    r"|(?:insert\s+into\s+" + _NAME + r"\s+)?exec(?:ute)?\s+(?:master\s*\.\s*\w*\s*\.\s*)?(?:xp|sp)_\w+[^;\n]{0,200}"
    r")\s*;?\s*(?:(?:--|\#)[^\n]*)?",
    re.I,
)
"""A value that is, as a whole, one SQL statement that destroys data or takes the server: ``DROP TABLE t_name``,
``DROP DATABASE db``, ``TRUNCATE TABLE logs_2024``, ``ALTER DATABASE d SET …``, ``LOAD DATA INFILE '…'`` (reads a
server file), ``EXEC xp_cmdshell …``/``INSERT INTO t EXEC sp_…`` (runs a system procedure). A function or procedure
may be named with its argument types, as PostgreSQL needs to tell overloads apart (``DROP FUNCTION f(text, integer)``,
fresh37). Where a field's value is run
as a query, or stored and run later (second order), it needs no break-out. Whole value only: the same statement inside
prose, after a markdown fence or among other text is a code snippet, which passes (decision 0012). ``SELECT`` is not
here: it reads, and "select id from users" is also a sentence about a form."""
_DANGEROUS_HEADS = ("drop", "truncate", "alter", "load", "insert", "exec")


_PSEUDO_HINTS = ("row", "ctid", "sys", "current_", "session_")


def _closed_then_condition(value: str) -> bool:
    """``) or '1'='1``, ``)) and 2=2 --``: a value that closes the query's own parenthesis around a number and goes
    on with a logic operator and a condition, judged as after a number (a lone operand is not enough)."""
    tokens, tc = tokenize(value, BREAKOUT_TOKENS)
    return len(tokens) > 2 and tokens[0].kind == ")" and after_breakout(tokens, tc, numeric=True) and any(
        t.kind == "&" for t in tokens[:4])


def _closes_row(head: str) -> bool:
    """``head`` closes more parentheses than it opens: the value ended a row or a call the application opened."""
    return head.count(")") > head.count("(")


_SP_PASSWORD = re.compile(r"--[ \t]*sp_password\b", re.I)
"""MSSQL leaves out of its trace any statement with ``sp_password`` in it: the word in a comment hides an injection
from the log; no text writes it after ``--``."""
_QUOTE_RUN_CUT = re.compile(r"\w{0,16}[ \t]*([\"'`]{2,3})[ \t]*(?:--|\#)[ \t-]*")
"""A run of different quotes then a comment as the whole value (``7"'`--``): a probe for whichever quote the query
uses, cutting the rest of it off."""


def _comment_probe(value: str, low: str) -> tuple[int, int] | None:
    """``--sp_password`` anywhere, or a quote run cut by a comment as the whole value (see above)."""
    if "sp_password" in low and (hidden := _SP_PASSWORD.search(value)):
        return hidden.start(), hidden.end()
    if len(value) < 40 and (run := _QUOTE_RUN_CUT.fullmatch(value)) and len(set(run.group(1))) > 1:
        return run.start(1), len(value)
    return None


def _bare_probe(value: str, low: str) -> tuple[int, int] | None:
    """Bare-value probes the token walk does not see: they need no quote and no leading number. Each regex runs
    only when a substring it needs is there (a browser's User-Agent reaches here on every request)."""
    if ("=" in value or "<>" in value) and (m := _CONSTANT_CONDITION.search(value)) is not None:
        return m.start(), len(value)
    if "=" in value and (value.count("(") > 1 or value.lstrip()[:1].isdigit() or any(
            p in low for p in _PSEUDO_HINTS)) and (m := _SELF_EQUAL.search(value)) is not None:
        return m.start(), len(value)
    if any(w in low for w in _STATEMENT_WORDS) and (m := _SQL_ONLY_STATEMENT.search(value)) is not None and (
            value[m.start()] != ")" or _closes_row(value[: m.start() + 1])):
        return m.start(), len(value)
    if ";" in value and ("drop" in low or "truncate" in low) and (m := _DROPPED_NAME.search(value)) is not None:
        return m.start(), len(value)
    if low.lstrip().startswith(_DANGEROUS_HEADS) and len(value) < 512 and _DANGEROUS_STATEMENT.fullmatch(value):
        return 0, len(value)
    if ("order" in low or "select" in low) and _WHOLE_PROBE.fullmatch(value) is not None:
        return 0, len(value)
    if value.lstrip().startswith(")") and (_CLOSE_THEN_SQL.match(value) is not None or _closed_then_condition(value)):
        return 0, len(value)
    if "(" in value:
        if len(value) < 120 and value.rstrip()[-1:].isdigit() and (fp := _FINGERPRINT_COMPARED.fullmatch(value)) and (
                _FINGERPRINT_CALL.search(value) is not None and _BARE_NAME.search(fp.group("call")) is None):
            return 0, len(value)
        if "select" in low:
            if (m := _SUBSELECT_OPERAND.search(value)) is not None:
                return m.start(), len(value)
            if ("ascii" in low or "ord" in low or "hex" in low or "unicode" in low) and _CHAR_ORACLE.search(
                    _EMPTY_EXPONENT.sub(" ", value) if ".e" in low else value) is not None:
                return 0, len(value)
            if "," in value and _LIST_SUBSELECT.match(value) is not None:
                return 0, len(value)
            if ("cast" in low or "convert" in low) and (m := _CAST_ERROR.search(value)) is not None:
                return m.start(), len(value)
        if "concat" in low and "0x" in low and (m := _CATALOG_CONCAT.search(value)) is not None:
            return m.start(), len(value)
        if ("chr" in low or "char" in low) and (
                (m := _CHAR_CHAIN.search(value)) is not None or ("||" in value and (m := _CHAR_CONCAT.search(value)))):
            if not _documented_chain(value, m.start()):
                return m.start(), len(value)
    return None


def _whole_probe(value: str, low: str) -> tuple[int, int] | None:
    """``sqli_whole``'s whole-value probes: a ``SELECT`` of server information with no ``FROM``, a blind
    comparison over such a call, fresh27's statement fragments and two cut break-outs. Each runs only on values that
    could be one: a ``SELECT`` head, a string function head, a ``;``, ``::`` or a comment (a browser's User-Agent
    reaches here on every request)."""
    head = low.lstrip()[:6] if low[:1].isspace() else low[:6]
    if head == "select":
        if len(value) < 400 and ("(" in value or "_" in value or "@" in value):
            tokens, _ = tokenize(value)
            while tokens and tokens[-1].kind == ";":
                tokens.pop()
            if server_select(tokens):
                return 0, len(value)
    elif "(" in value and ("()" in value or "@@" in value or "select" in low or "0x" in low) and len(value) < 200 and (
            head[:1] in "(abchilmoprsu") and string_func_head(value) and blind_comparison(tokenize(value)[0]):
        return 0, len(value)
    if ((";" in value and (head[:1] == ";" or head in STATEMENT_HEADS)) or "analyse" in low or "_sleep" in low
            or "::" in value) and (fragment := statement_fragment(value, low, head)) is not None:
        return fragment
    if ("?" in value or "limit" in low or "offset" in low or " by " in low) and ("'" in value or '"' in value) and (
            cut := breakout_cut(value)) is not None:
        return cut
    return None


_BEST_FIT = str.maketrans({"\u2032": "'", "\u02bc": "'", "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201b": "'",
                            "\uff07": "'", "\u201c": '"', "\u201d": '"', "\u201f": '"', "\uff02": '"'})
_LOOK_ALIKE_QUOTES = frozenset("\u2032\u02bc\u2033\u2018\u2019\u201b\uff07\u201c\u201d\u201f\uff02")
"""Look-alike quotes that a conversion to a legacy code page turns into ASCII ones (Windows "best fit": PRIME
U+2032 and MODIFIER LETTER APOSTROPHE U+02BC become ``'``, DOUBLE PRIME U+2033 becomes ``"``), as a database or
driver that stores Unicode input in a non-Unicode column does: ``' or '1′='1`` arrives as ``' or '1'='1``. Typographic
quotes (U+2018/2019/201B, U+201C/201D/201F) and the fullwidth ``＇`` ``＂`` fold the same way under ``iconv``
transliteration, NFKC (the fullwidth ones) and some MySQL character-set conversions: ``’ or ‘1’=’1``. The value is
judged as the ASCII text it becomes, so prose with curly apostrophes (``O’Brien``, ``don’t``, “quoted”) passes as its
ASCII spelling does."""


_BLANK_COMMENT = re.compile(r"(?:\#|--)[^\s#]{0,24}\r?\n|/\*[^\s*]{0,24}\*/")
"""A comment that stands for a blank: a word-like comment closed by a line break right away (``#kqzv⏎``, ``--kqzv⏎``,
sqlmap's ``space2hash`` and ``space2dash``; the break may be a CR LF pair, as a form or a Windows client sends it) or
an empty or one-word block comment (``/**/``). A markdown heading
(``# Notes⏎``) or a dash in prose (``-- maybe⏎``) has a blank after its mark and is no such comment."""
_CHAR_CALL = re.compile(r"\b(?:char|chr)\s*\(\s*\d{1,3}(?:\s*,\s*\d{1,3})*\s*\)", re.I)
"""``CHAR(97,98)``: a string constant spelled in codes (sqlmap's ``--no-escape`` off); read as ``'c'``."""
_LITERAL = r"(?:\d++(?:\.\d++)?+|'[^'\n]{0,32}'|\"[^\"\n]{0,32}\")"
_BETWEEN_CONSTANTS = re.compile(
    rf"(?<![\w.])({_LITERAL})\s++(?:not\s++)?between\s++({_LITERAL})\s++and\s++{_LITERAL}(?![\w'\"])", re.I)
"""``2 BETWEEN 1 AND 3``, ``'a' BETWEEN 'a' AND 'a'``: constants compared, a tautology in other words (sqlmap's
``between``); read as ``2=1`` (the truth of it does not matter, the comparison of constants does). Anchored at a
token's start and possessive: a run of digits is tried once, not once per digit."""


_GLUED_LOGIC = re.compile(r"(?<![\w.$@])(\d*+)(x?or|and)(\d*+)(?![\w$])", re.I)
"""A logic word glued to a number on either side, the number standing alone (``1or1=1``, ``1 and1=1``, ``2xor 2``):
MySQL reads ``1or1`` as ``1 or 1``, so no blank is needed around the operator. Read with the blanks put back. The
number must open a token: in ``A1or1``, ``v2or3`` or ``color1`` the digits are part of a code, not an operand."""
_DOUBLED_GLUED = re.compile(r"""[^\s"']("")[^\s"']|[^\s"']('')[^\s"']""")
"""A doubled quote with no blank on either side (``"hi"") or (""a""=""a"``): the quote escaped by doubling, as in a
VB, CSV or SQL literal, which whoever unescapes it hands on as one quote. ``name="" or x=""`` (empty strings in a
search expression) has a blank beside each pair and is left alone."""


def _glued_logic(m: re.Match[str]) -> str:
    return f"{m.group(1)} {m.group(2)} {m.group(3)}" if m.group(1) or m.group(3) else m.group()


def _folded(value: str, low: str) -> str | None:
    """``value`` with blank-standing comments, ``CHAR(…)`` constants, ``BETWEEN`` over constants and empty-exponent
    floats (``1.e(``, ``_EMPTY_EXPONENT``) read the plain way, or ``None`` when there is nothing of the kind. The
    result is judged like any value: a fold only removes a disguise, it adds no SQL of its own."""
    out = value.replace("\ufffd", " ") if "\ufffd" in value else value  # %A0 as the query decoder leaves it
    if not value.isprintable() and _CONTROL_BLANK.search(out) is not None:
        out = _CONTROL_BLANK.sub(" ", out)
    if (("#" in value or "--" in value) and "\n" in value) or "/*" in value:
        out = _BLANK_COMMENT.sub(" ", out)
    if "ch" in low and "(" in value:
        out = _CHAR_CALL.sub("'c'", out)
    if "between" in low:
        out = _BETWEEN_CONSTANTS.sub(r"\1=\2", out)
    if ".e" in low and "(" in value:
        out = _EMPTY_EXPONENT.sub(" ", out)  # -1' or 1.e(1) or '1'='1: MySQL drops the empty-exponent float
    if ("or" in low or "and" in low) and _GLUED_LOGIC.search(out):
        out = _GLUED_LOGIC.sub(_glued_logic, out)
    if ('""' in value or "''" in value) and (doubled := _DOUBLED_GLUED.search(out)):
        pair = doubled.group(1) or doubled.group(2)
        out = out.replace(pair, pair[0])
    return out if out != value else None


def is_sqli(value: str, *, fold: bool = True) -> tuple[int, int] | None:
    """The span to report when ``value`` would inject SQL in a bare, ``'…'`` or ``"…"`` context, read as it is and,
    when it holds look-alike quotes, as a best-fit conversion reads it, or once its disguises are folded
    (``_folded``)."""
    low = value.lower()
    found = _is_sqli(value, low)
    if found is None and fold and (folded := _folded(value, low)) is not None:
        return (0, len(value)) if is_sqli(folded, fold=False) is not None else None
    if found is None and fold and "<?xml" in value[:64] and value.lstrip()[:5] == "<?xml":
        return (0, len(value)) if any(
            is_sqli(attribute, fold=True) for attribute in embedded_xml_attributes(value)) else None
    return found


def _is_sqli(value: str, low: str, *, undouble: bool = True) -> tuple[int, int] | None:
    if ("sp_password" in low or "--" in value or "#" in value) and (comment_cut := _comment_probe(value, low)):
        return comment_cut
    if ("--" in value or "#" in value or "/*" in value) and _SORT_THEN_COMMENT.fullmatch(value):
        return 0, len(value)
    if "/*" in value and len(value) < 120 and _COMMENTED_CONDITION.fullmatch(value):
        return 0, len(value)
    if "@" in value and "exec" in low and (dynamic := _DYNAMIC_SOURCE.search(value)) and (
            run := _EXEC_VARIABLE.search(value, dynamic.end())):
        return dynamic.start(), run.end()
    if "(" in value and (java := _JAVA_ROUTINE.search(value)):
        return java.start(), java.end()
    if "(" in value and ("sleep" in value or "Date" in value or "SLEEP" in value) and (
            (start := _code_delay(value)) is not None):
        return start, len(value)
    if "/*!" in value and (versioned := _VERSIONED.search(value)):
        return versioned.start(), len(value)
    if "||" in value and (oob := _ORACLE_OOB.search(value)):
        return oob.start(), oob.end()
    if "(" in value and ("fn_" in low or "hashbytes" in low or "convert" in low) and (
            vendor := _SQL_SERVER_CALL.search(value)):
        return vendor.start(), vendor.end()
    if "select" in low and _SELECT_NUMBER.search(low) and (product := _SELECT_ARITHMETIC.search(value)):
        return product.start(), product.end()
    if "union" in low and _BREAKOUT_UNION.match(value):
        return 0, len(value)
    if "union" in low and "select" in low and (union := _appended_union(value)) is not None:
        return union, len(value)
    if (glued := _GLUED_SELECT.search(value)) is not None:
        return glued.start(), glued.end()
    if ("outfile" in low or "dumpfile" in low) and (into := _INTO_FILE.search(value)):
        return into.start(), into.end()
    quoted = "'" in value or '"' in value
    if ("/**/" in value or "<>" in value or (quoted and _LITERAL_CUT.search(value))) and _SPLIT_UNION.search(
            _EMPTY_SPLIT.sub("", value)):
        return 0, len(value)
    if ("/*" in value or "*/" in value) and (
            glued := _COMMENT_GLUED.search(value) or _COMMENT_GLUED.search(_EMPTY_COMMENT.sub("", value))):
        return glued.start(), glued.end()
    if not value.isprintable() and (control := _CONTROL_GLUED.search(value)) is not None:
        return control.start(), len(value)
    if (probe := _bare_probe(value, low)) is not None:
        return probe
    if (whole := _whole_probe(value, low)) is not None:
        return whole
    if _raw_worth(value):
        tokens, tc = tokenize(value)
        if raw_value(tokens, tc):
            return 0, len(value)
    if len(value) < 48 and value.lstrip()[:1] in ("'", '"', "`") and _QUOTE_OPERATOR_QUOTE.fullmatch(value):
        return 0, len(value)
    if "`" in value and len(value) < 200 and "(" in value and _BACKTICK_DELAY.fullmatch(value):
        return value.index("`"), len(value)
    if "`" in value and (tick := _backtick_breakout(value)) is not None:
        return tick, len(value)
    if len(value) < 12 and _QUOTE_THEN_OR.fullmatch(value):
        return 0, len(value)
    if len(value) < 96 and value.rstrip()[-1:] in _TRUNCATED_END and "or" in low and (
            cut := _TRUNCATED_CONDITION.fullmatch(value)) and (
            not cut.group("word") or not cut.group("pre") or cut.group("sign")[0] in "=<>"):
        return cut.start(2), len(value)
    if (closed := values_or_case_error(value, low)) is not None:
        return closed
    delay = "(" in value and ("'" in value or '"' in value) and _DELAY_CALL.search(value) is not None
    for quote in ("'", '"'):
        idx = value.find(quote)
        if idx < 0:
            continue
        tokens, tc = tokenize(quote + value, BREAKOUT_TOKENS)
        if tokens and tokens[0].kind == "s" and (
                after_breakout(tokens[1:], tc, delay=delay) or written_statement(tokens[1:])):
            if len(tokens) == 1 and (_prose_dashes(tokens[0].text, value[len(tokens[0].text) - 1 :])
                                     or _code_literal(value, idx) or _punctuation_list(value, idx)):
                continue
            if not tc and _text_after_quote(value[len(tokens[0].text) - 1 :], tokens[1:], quote):
                continue
            if not tc and _GLUED_AMPERSAND.fullmatch(value, max(len(tokens[0].text) - 3, 0)):
                continue
            if _html_attribute(value, idx, quote):
                continue
            if quote == "'" and _ELIDED_ARTICLE.match(value, max(idx - 1, 0)) and idx > 0:
                continue  # ha'-Kerem, O'-Brien: a transliterated article or elision before a hyphenated name
            if "multipart/" in low and boundary_quote(value, idx):
                continue  # multipart/mixed; boundary="----=_Part_…": a MIME boundary's leading dashes (mime_params)
            return idx, len(value)
    if "\\'" in value or '\\"' in value:
        if (escaped := _escaped_quote_stack(value)) is not None:
            return escaped, len(value)
    if "leep" in low and (bare_sleep := word_sleep(value)) is not None:
        return bare_sleep
    if undouble and (plain := undoubled(value, low)) is not None and _is_sqli(plain, plain.lower(), undouble=False):
        return 0, len(value)  # SESELECTLECT: judged as a strip-once filter leaves it, one level deep
    if not value.isascii() and not _LOOK_ALIKE_QUOTES.isdisjoint(value):
        fitted = value.translate(_BEST_FIT)  # no look-alike is left in the translation: one level deep
        return _is_sqli(fitted, fitted.lower())
    return None


_ESCAPED_QUOTE_STACK = re.compile(r"""\\['"][ \t]*;""")


def _escaped_quote_stack(value: str) -> int | None:
    """A backslash-escaped quote then ``;`` and a statement (``\\'; drop table t; --``): the probe for an
    application that escapes quotes with a backslash of its own, which the sent backslash escapes in turn, so the
    quote closes the string. Only a stacked statement counts: ``it\\'s`` in JSON or code goes on with text."""
    for n, m in enumerate(_ESCAPED_QUOTE_STACK.finditer(value)):
        if n == 8:  # a probe has one; a value of thousands would tokenize its tail once per match
            break
        tokens, _ = tokenize(value[m.end() : m.end() + 256], BREAKOUT_TOKENS)
        if statement(tokens):
            return m.start()
    return None


_URL_PARAMS = re.compile(r"(?:&[^\W\d][\w\[\]]*=[\w.%-]*)+")
_QUOTED_TERM_REST = re.compile(r"(?:\s|[^\w%'\"].*[^\W\d_])")


def _text_after_quote(rest: str, tokens: list[Token], quote: str) -> bool:
    """What follows the closing quote reads as SQL but is text, judged on the few values that got this far:

    - a URL's next parameters (``…?q=14" x 18"&page=2&sort=new``): an inch mark inside a query-string value;
    - a quoted operator word (``"LIKE" stamp``, ``'and'``, ``"&"``; not ``'%'``, LIKE's wildcard): the operator
      glued to quotes on both sides and the string it opens holding text (empty, or starting with a space or a
      symbol, and with a letter in it). ``'or'1``, ``x'or'a`` and ``'like'%`` (a pattern that matches anything)
      still read as probes;
    - only operators and constants ending in a string opened with the *other* quote (``'-"8``): that string
      swallows the application's own closing quote, so the statement cannot end."""
    if rest[:1] == "&" and _URL_PARAMS.fullmatch(rest):
        return True
    first, last = tokens[0], tokens[-1]
    op = first.text
    if (op.isalpha() or op == "&") and rest[: len(op)].lower() == op and rest[len(op) : len(op) + 1] == quote:
        after = rest[len(op) + 1 :]
        if len(tokens) > 1 and tokens[1].kind in "sS" and (
            len(tokens) == 2 or (tokens[1].kind == "s" and tokens[2].kind == "w")
        ) and (not after or _QUOTED_TERM_REST.match(after)):
            return True
    return last.kind == "S" and last.text[0] != quote and all(
        t.kind in "onsS" and not t.text.isalpha() for t in tokens)


_ELIDED_ARTICLE = re.compile(r"[^\W\d_]'-[^\W\d_a-z][^\W\d_]+(?:[\s,.:]+[\w\[\]]+)*[\s,.:]*\Z")
"""A letter, an apostrophe, a hyphen and a capitalised word, then only words, numbers and ``, . :`` to the end
(``Hotsaʼat ha'-Kerem, 5758 [1997]``, a Hebrew transliteration in a catalogue record; fresh48): the quote elides a
letter inside a name. A call, a comparison, a comment or a second quote after it is still judged."""
_ATTRIBUTE_TEXT = re.compile(r"(?:&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});|[\w#.;-])+", re.I)
_ATTRIBUTE_END = re.compile(r"\s*/?>|\s+[\w:-]+\s*=")


def _html_attribute(value: str, idx: int, quote: str) -> bool:
    """The quote opens an HTML attribute value (``name="``) that holds only words, ``#``, ``;`` and character
    references, and is closed by the same quote before the tag ends or the next attribute starts: rendered markdown
    or a page fragment (``<a href="&ouml;">``, ``<img src="#" alt="&amp;" />``, ``href="&amp;#xD800;"``, fresh37).
    Read as SQL, the ``&`` of the reference is an operator and its ``;`` or a ``#`` ends the statement or the line,
    but no statement or condition of the caller's follows: nothing is spliced in."""
    if idx < 2 or value[idx - 1] != "=" or not (value[idx - 2].isalnum() or value[idx - 2] in "-_:"):
        return False
    m = _ATTRIBUTE_TEXT.match(value, idx + 1)
    if m is not None and ("&" in m.group() or "#" in m.group()) and value[m.end() : m.end() + 1] == quote and (
            _ATTRIBUTE_END.match(value, m.end() + 1) is not None):
        return True
    return _tag_url_attribute(value, idx, quote)


_URL_ATTRIBUTE_TEXT = re.compile(r"[\w#.;/:?=&%+,()~@!*$-]{0,400}")
_OPEN_TAG = re.compile(r"<[a-z][\w:-]{0,30}\s[^<>\"']{0,200}$", re.I)


def _tag_url_attribute(value: str, idx: int, quote: str) -> bool:
    """The quote opens an attribute of a tag the value opens (``<a href="/url(test)" title="t">``, ``<a
    href="/">hello</a>``: rendered markdown, fresh54) whose text is a URL or words with no blank and no SQL of its
    own, closed by the same quote before the tag ends or the next attribute starts. Read as SQL, the ``/``, ``(`` and
    ``>`` after it are operators; in the page they are a path and the tag's end."""
    if _OPEN_TAG.search(value, max(0, idx - 240), idx - 1) is None:
        return False
    m = _URL_ATTRIBUTE_TEXT.match(value, idx + 1)
    if m is None or value[m.end() : m.end() + 1] != quote or _ATTRIBUTE_END.match(value, m.end() + 1) is None:
        return False
    return not m.group() or _is_sqli(m.group(), m.group().lower()) is None


_GLUED_AMPERSAND = re.compile(r"""[^\W_](['"])&\1[^\W_]\w*""")
"""A quoted ampersand between two words it touches at the end of a value (``x'&'y``, ``R"&"B``): a stylised
"and" in a name or a join in a filter, never a splice: the probe is the whole ``'&'``, or with blanks around it."""


_DASH_PROSE = re.compile(
    r"\s*(?:(?:--\s+|\#\s*|--(?=\w+\s+-[^\W\d_]))\w*[^\W\d_]{2}|\#\d{1,7}['\"](?:\s|%0[ad]|$))", re.I
)


def _prose_dashes(quoted: str, rest: str) -> bool:
    """A quote then only ``-- words``: a dash in a sentence ("illegal character: ' -- why?"), a hashtag
    ("the Smiths' #tour"), a quoted issue number ('git grep "#189"', "#42" ending its line) or a search's
    exclusions ("blue shoes' --kids -boys"), not a comment that cuts the
    query off. As in libinjection, words after ``--`` read as prose; a single token before the quote
    (``admin'-- x``) still reads as a truncated login. A tab between the words counts like a space."""
    inner = quoted.strip()
    return (" " in inner or "\t" in inner) and _DASH_PROSE.match(rest) is not None


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _punctuation_list(value: str, idx: int) -> bool:
    """The quote is one item of a list of ASCII punctuation (a regular expression's character class
    ``[a-zA-Z0-9!"#$%&'()*+,./:;<=>?@…]``, a password policy's special characters, spaced or not): from it on, a run
    of at least 20 distinct punctuation characters, which no comment cutting a login query short is written as
    (fresh33). A form decoder's ``+`` read as a blank leaves the run whole."""
    end = idx
    while end < len(value) and (value[end] in _PUNCTUATION or value[end] == " "):
        end += 1
    return len(set(value[idx:end]) - {" "}) >= 20


def _code_literal(value: str, idx: int) -> bool:
    """The quote opens a string argument in code (``querySelector('#save')``, ``x['#id']``): a ``#``
    after it is a CSS selector or an anchor, not a comment cutting a login query short."""
    return idx > 0 and value[idx - 1] in "([" and value[idx + 1 : idx + 2] == "#"
