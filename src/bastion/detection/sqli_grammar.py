"""The judgement half of the SQL injection analyser: does a token stream continue an SQL statement?

Each function takes the folded tokens of ``sqli.tokenize`` (``kind`` letters documented there) and
answers one grammatical question. They accept only continuations a database would execute, which
is what keeps prose ("select a plan", "Smith and Jones", "2 or 3 bedrooms") out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.detection.sqli import Token

Tokens = Sequence["Token"]

TIMING_FUNCS = frozenset({
    "sleep", "benchmark", "pg_sleep", "extractvalue", "updatexml", "load_file", "xp_cmdshell",
    "dbms_pipe.receive_message", "utl_inaddr.get_host_address", "randomblob", "dbms_lock.sleep", "user_lock.sleep",
    "utl_http.request", "gtid_subset", "name_const", "exp", "json_keys", "dbms_session.sleep",
    # server files, settings and large objects: read where a value was expected
    "current_setting", "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "lo_get", "lo_import", "lo_export",
    "sys_eval", "sys_exec",
})
DELAY_FUNCS = frozenset({"sleep", "benchmark", "pg_sleep", "randomblob", "dbms_lock.sleep", "dbms_session.sleep",
                         "dbms_pipe.receive_message", "user_lock.sleep"})
"""Functions whose only use in a probe is to make the database wait: a call to one anywhere after a breakout
(``' | case randomblob(1e8) …``, ``' / case when cast(pg_sleep(5) …``) is a timing probe, however it is wrapped."""
PSEUDO_COLUMNS = ("rownum", "rowid", "ctid", "sysdate", "systimestamp", "localtimestamp", "current_user",
                  "current_date", "current_time", "current_timestamp", "session_user", "system_user")
"""Names a database answers without a table or parentheses (Oracle's ``ROWNUM``/``ROWID``/``SYSDATE``, PostgreSQL's
``ctid``, the standard's ``CURRENT_USER``): compared with itself, a probe for which database runs the query."""
FINGERPRINT_FUNCS = ("cvar", "cdbl", "cint", "clng", "csng", "cbool", "cbyte", "ccur", "cdate", "cdec", "cstr",
                     "atn", "iif", "last_insert_rowid", "sqlite_version", "total_changes", "last_insert_id",
                     "connection_id", "found_rows", "row_count", "pg_backend_pid", "txid_current",
                     "current_database", "rawtohex", "lnnvl")
"""Functions only one database family has (MS Access/Jet's VBA conversions ``CVar``, ``CDbl``, ``Atn``, ``IIf``;
SQLite's ``last_insert_rowid``; MySQL's ``connection_id``; PostgreSQL's ``pg_backend_pid``; Oracle's ``LNNVL``):
a value that only compares one of them with a constant asks which database is there."""
CATALOGS = ("information_schema", "pg_catalog", "pg_shadow", "pg_authid", "pg_user", "pg_group", "pg_roles",
            "mysql.user", "mysql.db", "sys.user$", "sys.all_", "sys.dba_", "sys.objects", "sys.tables",
            "sys.databases", "sys.sql_logins", "sysobjects", "syscolumns", "sysdatabases", "sqlite_master",
            "sqlite_schema", "dba_users", "all_users", "all_tables", "all_tab_", "user_tables", "v$version",
            "v$instance", "rdb$", "mon$", "sysibm.", "syscat.", "sysibmadm.", "sysproc.", "sysstat.")
"""The database's own catalogue: user, password and schema tables no application reads from user input. Firebird's
system tables all start ``RDB$`` (``RDB$DATABASE``, the one-row table its probes select from, ``RDB$RELATIONS``) and
its monitoring tables ``MON$``; a ``$`` inside a name is no application's. DB2's catalogue schemas (``SYSIBM``, with
the one-row ``SYSIBM.SYSDUMMY1`` its probes select from, ``SYSCAT``, ``SYSIBMADM``, ``SYSPROC``, ``SYSSTAT``) are
taken only as a qualifier (``sysibm.tables``): the bare words are ordinary enough in prose (fresh35)."""
_CATALOG_VERBS = frozenset({"from", "into", "join", "table", "update"})
_CALL_CONTEXT = frozenset({"select", "where", "having", "order by", "group by", "when", "then", "else", "case",
                           "values", "union"})
"""Keywords after which a function call is a value the database computes (``order by sleep(5)``)."""
CLAUSES = frozenset({"order by", "group by", "having", "limit", "procedure", "into", "waitfor"})
OBJECTS = frozenset({"table", "database", "schema", "user", "view", "procedure", "function", "index",
                     "trigger", "login"})
LITERALS = frozenset({"null", "true", "false"})
OPERAND = frozenset("nsSvw")
_VALUE_KEYWORDS = LITERALS | {"user"}
"""Keywords that are values: the literals, and ``USER`` (the standard's current user, and a column name in MySQL),
so ``' or user like '%`` reads as the condition it is."""


def _operand(tok: Token) -> bool:
    return tok.kind in OPERAND or (tok.kind == "k" and tok.text in _VALUE_KEYWORDS)


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
    """``select`` is followed by something a SELECT list starts with (not "select a plan"). Reads ``rest[:3]`` only:
    a caller in a loop passes that slice (a copy of the whole rest at every ``union`` was quadratic)."""
    if not rest:
        return False
    first = rest[0]
    if first.kind in "nsS" and len(rest) > 2 and rest[1].kind == "w" and rest[2].kind == "w":
        return False  # "select 'Bank transfer' at checkout": an item takes one alias, never two words
    if first.kind in "nsSvf(" or first.text in ("*", "null", "case", "distinct", "all", "top"):
        return True
    if first.text in ("-", "+", "~", "!") and len(rest) > 1:
        return rest[1].kind in "nvwf("  # a signed or negated operand: select -7431.1, …
    if (first.kind == "w" or first.text in ("login", "user")) and len(rest) > 2 and (
            rest[1].kind == "o" or rest[1].text == "||"):
        return rest[2].kind in "nsSvwf("  # an expression: select username || ':' || password
    return (first.kind == "w" or first.text in ("login", "user")) and len(rest) > 1 and (
        rest[1].kind in ",)" or rest[1].text == "from")  # select user, password from …: a column named like a keyword


def after_parens(tokens: Tokens, start: int) -> int:
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
        start = after_parens(tokens, start + 1)  # IF (condition) <statement>, possibly nested
    while start + 1 < len(tokens) and tokens[start].kind == "(" and (
            tokens[start + 1].kind in "(k" or tokens[start + 1].text == "select"):
        start += 1  # ;(SELECT * FROM (SELECT(SLEEP(5)))x), ;(SELECT(1)FROM…: a parenthesised query is a statement too
    rest = tokens[start : start + 8]  # a statement is judged on its first few tokens: no long slices
    if not rest:
        return False
    head, nxt = rest[0].text, rest[1] if len(rest) > 1 else None
    if head == "copy" and nxt is not None:
        return _subquery(rest[1:]) or _copy_file(tokens[start + 1 : start + 40])
    if head in _METADATA_HEADS:
        return _metadata_statement(rest)
    if rest[0].kind not in "kf" and head != "begin":
        return False
    if rest[0].kind == "f" and oracle_package_call(head):
        return True  # '); htp.print(:1);-- : a call of an Oracle built-in package stacked after the break-out
    if head == "select":
        return select_list(rest[1:])
    if nxt is None:
        return head == "shutdown"
    follows: dict[str, bool] = {
        "insert": nxt.text == "into",
        "delete": nxt.text == "from",
        "update": nxt.kind == "w" and len(rest) > 2 and rest[2].text == "set",
        "drop": nxt.text in OBJECTS, "alter": nxt.text in OBJECTS,
        "create": nxt.text in OBJECTS or (nxt.text == "or" and len(rest) > 2 and rest[2].text == "replace"),
        "truncate": nxt.text == "table",
        "exec": _exec_call(rest), "execute": _exec_call(rest),
        "declare": nxt.kind == "v", "set": nxt.kind == "v",
        "waitfor": nxt.text in ("delay", "time"),
        "grant": any(t.text == "to" for t in rest[2:]), "revoke": any(t.text == "from" for t in rest[2:]),
        "shutdown": nxt.text == "with",
        "call": nxt.kind == "f",
        "begin": nxt.text == "declare" or (nxt.kind == "f" and "." in nxt.text) or (
            nxt.kind == "k" and statement(rest, 1)),  # BEGIN UPDATE t SET …  END: a block around a statement
    }
    return follows.get(head, False)


ORACLE_PACKAGES = frozenset({"htp", "htf", "owa", "owa_util", "owa_opt_lock", "owa_match", "sys", "ctxsys",
                             "mdsys", "ordsys", "xdb", "orasso", "portal"})
"""Oracle's built-in schemas and PL/SQL web-toolkit packages (the PL/SQL Gateway's ``htp.print``,
``owa_util.cellsprint``); with the ``dbms_``/``utl_``/``wwv_`` families in ``oracle_package_call``."""


def oracle_package_call(name: str) -> bool:
    """``htp.print``, ``owa_util.cellsprint``, ``sys.dbms_export_extension.get_domain_index_tables``: a qualified call
    into an Oracle built-in package. JavaScript's ``console.log`` or ``app.run`` is no such name, so a stacked call
    of one is PL/SQL, never code a comment quotes."""
    head, dot, _ = name.partition(".")
    return bool(dot) and (head in ORACLE_PACKAGES or head.startswith(("dbms_", "utl_", "wwv_", "owa_")))


_METADATA_HEADS = frozenset({"desc", "describe", "show"})
_SHOWN = frozenset({"tables", "databases", "schemas", "columns", "grants", "processlist", "variables", "users",
                    "create", "full", "status", "privileges", "triggers", "procedure", "function"})


def _metadata_statement(rest: Tokens) -> bool:
    """MySQL's ``DESC users`` / ``DESCRIBE users`` / ``SHOW TABLES`` stacked after a break-out (``\\'; desc users;
    --``): a schema read. The table name ends the statement (``;``, a comment, the end); "desc of the item" or
    "show me" after a semicolon in prose goes on with more words."""
    nxt = rest[1] if len(rest) > 1 else None
    if nxt is None or nxt.kind != "w":
        return False
    if rest[0].text == "show":
        return nxt.text in _SHOWN
    return len(rest) == 2 or rest[2].kind == ";"


def _copy_file(rest: Tokens) -> bool:
    """PostgreSQL's ``COPY <table> [(<columns>)] TO|FROM '<file>'|PROGRAM|STDOUT|STDIN`` (``rest`` starts at the
    table): it reads or writes a server file or runs a command. A table followed by its column list tokenizes as a
    call (``f``); prose ("copy the file to …") has no table name right before ``to``."""
    if not rest or rest[0].kind not in "wf":
        return False
    i = after_parens(rest, 1) if len(rest) > 1 and rest[1].kind == "(" else 1
    return i + 1 < len(rest) and rest[i].text in ("to", "from") and (
        rest[i + 1].kind in "sS" or rest[i + 1].text in ("program", "stdout", "stdin"))


def _exec_call(rest: Tokens) -> bool:
    """``exec`` then a procedure and what a call takes after it (arguments, ``;``, the end): "exec will create the
    case" is prose, a procedure name followed by a keyword or a second bare word."""
    if rest[1].kind not in "wf(":
        return False
    return len(rest) < 3 or rest[1].kind != "w" or not (
        rest[2].kind == "k" or (rest[2].kind == "w" and (len(rest) < 4 or rest[3].kind not in "sS")))


def _past_unary(rest: Tokens, i: int) -> int:
    """Index past ``not``, MySQL's ``binary`` and unary signs (``or !"a``, ``or -1="-1``, ``or binary 1='1``): a
    probe writes them to slip past filters that expect an operand right after the operator."""
    n = len(rest)
    while i < n - 1 and (rest[i].text == "not" or rest[i].text in _UNARY or rest[i].text == "binary"):
        i += 1
    return i


def condition(rest: Tokens, tc: bool, strict: bool = False) -> bool:
    """What follows a logic operator (``or``, ``&&`` …) is a condition a database evaluates. Walked
    with an index, not recursion: ``1 and ((((…`` or ``1 and 1 and 1 …`` of any length is linear."""
    i, n = 0, len(rest)
    while True:
        i = _past_unary(rest, i)
        if i >= n:
            return False
        first = rest[i]
        if first.kind == "f" or (first.kind == "k" and first.text in ("select", "exists")):
            return True
        if first.text == "case" and first.kind == "k":
            return _case_expression(rest, i)
        if first.kind == "(":
            i += 1  # "(select …" is caught on the next turn
            continue
        if not _operand(first):
            return False
        if i == n - 1:
            return tc or (not strict and _lone_operand(first))
        second = rest[i + 1]
        if second.text == "is" and i + 2 < n:
            return WORD_OPERANDS["is"](rest[i + 2 :])  # || user_id is not null
        if second.text in _NULL_TESTS:
            return tc or i + 2 == n or rest[i + 2].kind in "&)"  # or email notnull--: PostgreSQL's/SQLite's IS NOT NULL
        if second.kind == "o" and i + 2 < n:
            third = rest[_past_unary(rest, i + 2) if rest[i + 2].text in _UNARY else i + 2]
            if second.text in ("/", "-", "+", "*") and i + 3 < n and rest[i + 3].kind in "wsS" and _operand(third):
                return False  # "1 and 1/2 inch": a fraction then a word; SQL puts an operator or keyword there
            return _operand(third) or third.kind in "f("
        if second.kind == "&":
            i += 2
            continue
        if second.kind in "kf" and second.text in _GROUPING and first.kind == "n" and i + 2 < n:
            return rest[i + 2].kind in "f("  # or 1 group by concat_ws(…,floor(rand(0)*2)): the grouping error probe
        return second.kind == ")" and _strong_operand(first)


_GROUPING = frozenset({"group by", "order by", "having"})


def _delaying_if(rest: Tokens) -> bool:
    """``rest`` is MySQL's ``IF(condition, then, else)`` called as a statement with a waiting function among its
    arguments (a comma inside the parentheses: a JavaScript ``if (ready) sleep(1)`` has none and calls after them)."""
    if len(rest) < 4 or rest[0].kind != "f" or rest[0].text != "if" or rest[1].kind != "(":
        return False
    end = after_parens(rest, 1)
    depth = 0
    for tok in rest[2 : end - 1]:
        depth += (tok.kind == "(") - (tok.kind == ")")
        if depth == 0 and tok.kind == ",":
            return _delay_called(rest[2 : end - 1])
    return False


def _case_expression(rest: Tokens, i: int) -> bool:
    """``rest[i]`` (``case``) opens an SQL CASE expression: ``CASE WHEN a=b THEN …`` (a comparison before ``THEN``) or
    ``CASE x WHEN y THEN …``. After a breakout and a logic operator (``') AND CASE WHEN 5=5 THEN 5 ELSE json('x')
    END``) it is the condition of a boolean probe; prose after "and case" goes on in words ("and case when it rains
    then we stay"), with no comparison between "when" and "then"."""
    window = rest[i + 1 : i + 12]
    then = next((j for j, tok in enumerate(window) if tok.text == "then"), -1)
    if then < 2:
        return False
    if window[0].text == "when":
        return any(tok.kind == "o" and tok.text in _COMPARISONS for tok in window[1:then])
    return _operand(window[0]) and window[1].text == "when"


_ENTITY_NAMES = frozenset({"amp", "lt", "gt", "quot", "apos", "nbsp"})
"""Named HTML entities the decoder resolves: ``&amp;`` glued to a closing quote is escaped markup."""


def after_breakout(rest: Tokens, tc: bool, numeric: bool = False, delay: bool = False) -> bool:
    """The value closed a string (or, with ``numeric``, ended a number); does the rest continue the
    statement? After a number, arithmetic alone ("5 + 3") is not enough: it must call a function. ``delay``
    says the value names a waiting function at all (one regex search by the caller instead of a token walk)."""
    while rest and rest[0].kind == ")":
        rest = rest[1:]
    if not rest:
        return tc
    first, tail = rest[0], rest[1:]
    if first.kind == ";":
        return statement(tail) or (not tail and tc) or _probe_call(tail, timing=False) or (
            delay and bool(tail) and tail[0].text == "select" and _delay_called(tail)) or (  # ');SELECT …RANDOMBLOB(
            delay and _delaying_if(tail)) or (  # ');if(now()=sysdate(),sleep(5),0): MySQL's IF() waiting
            len(tail) == 2 and tail[0].text == "select" and tail[1].kind == "w") or (  # '; select version: cut short
            len(tail) == 2 and tail[0].text == "print" and tail[1].kind == "S" and len(tail[1].text) == 1)
        # ';print': T-SQL's PRINT of the empty string the application's own quote closes, a stacked-query probe
    if first.kind in "kf" and (tc or _system_procedure(rest) or _declared(rest)) and statement(rest):
        return True  # T-SQL needs no ";" between statements: ' exec sp_addlogin 'x' --
    if first.kind == "(" and len(rest) > 2 and rest[1].text == "select" and (
            rest[2].kind in "nvf(" or rest[2].text in ("*", "top", "null", "distinct", "case")
            or (rest[2].kind == "w" and select_list(rest[2:]))):
        return True  # ' (select top 1 …, ' (select (case …: a subquery after the string ("(select all)" is prose)
    if first.kind == "(" and tautology(rest[:8]):
        return True  # ' (case when (1=1) …, ' (7=7)*x: a parenthesised boolean probe
    if _probe_call(rest):
        return True  # "x" sleep(10) ", ' (updatexml(…: a timing/error call or a boolean probe spliced after the string
    if first.kind == "k" and first.text == "where":
        return _where_condition(tail, tc)  # ' where 0 in (select …): the value ended a SELECT/UPDATE/DELETE
    if first.text == "from" and len(tail) > 2 and tail[0].kind == "w" and tail[1].text == "where":
        return _where_condition(tail[2:], tc)  # 1) from users where name='x': the value closed a SELECT list
    if first.text == "as" and len(tail) > 2 and tail[0].kind in "sw" and tail[1].text == "where":
        return _where_condition(tail[2:], tc)  # ') as t where 5=5 …: the value closed a derived table and aliased it
    if first.text == "in" and len(tail) > 1 and tail[0].text == "boolean" and tail[1].text == "mode":
        return after_breakout(tail[2:], tc, numeric, delay)  # ' in boolean mode) …: it closed MySQL's AGAINST(…)
    if delay and _delay_called(rest):
        return True
    if first.text == "&" and len(tail) > 1 and tail[0].text in _ENTITY_NAMES and tail[1].kind == ";":
        return after_breakout(tail[1:], tc, numeric, delay)
        # "&amp;">…: an HTML entity after a quoted attribute's end, not a bitwise AND (the decoded form is judged too)
    if first.kind == "o" and not numeric and not first.text.isalpha() and _inert_expression(rest, tc):
        return False
    if first.kind == "&":
        return condition(tail, tc, numeric) or (first.text == "xor" and len(tail) == 1 and _strong_operand(tail[0]))
        # 1 xor 1: a lone constant after a number is prose for "or" ("2 or 3"), never for "xor"
    if first.kind == "o" and numeric:
        if tail and len(tail) == pure_math_call(tail, 0):
            return False  # 1 / tan(2): a formula that ends the value (fresh52)
        return bool(tail) and ((tail[0].kind == "f" and len(tail[0].text) > 1) or _subquery(tail)
                               or _arithmetic_probe(tail, tc))
        # no SQL function has a one-letter name: "1020-B (MF)" is a report number and its format (fresh48)
    if first.kind == "o" and first.text == "/" and tail and tail[0].kind == "w":
        return False  # a path after a quote ('/api/items'), not a division
    if first.kind == "o" and first.text in ("!", "~"):
        return False  # unary only: SQL cannot apply them to the string just closed ("!alarm|ntp" is a filter)
    if first.kind == "o" and first.text == "*" and len(tail) == 1 and tail[0].text == rest_quote(tail[0]):
        return False  # a quoted wildcard ending the value (eq '*'), not a product with an empty string
    if first.kind == "o" and tail and tail[0].text in _UNARY:
        tail = tail[_past_unary(tail, 0) :]  # ' =+ ', 'like-'x, ' regexp- md5(1): signs before the operand
    if first.kind == "o" and first.text in WORD_OPERANDS:
        return bool(tail) and WORD_OPERANDS[first.text](tail)
    if first.kind == "o" and len(tail) > 1 and tail[0].kind == "n" and tail[1].kind == "w":
        return False  # a number and its unit ("' = 1 ft"): SQL puts an operator or a keyword after an operand
    if first.text in ("mod", "div") and len(tail) > 1 and tail[0].kind == "w" and tail[1].kind in "sS":
        return False  # "mod post" and send …: a word after mod/div, then the quote again, is a quoted phrase (fresh50)
    if first.kind == "o":
        return bool(tail) and (tail[0].kind in "nsSvf(" or (tail[0].kind == "w" and (tc or len(tail) > 1)))
    if first.text == "union":
        return union_select(rest) or _system_procedure(tail) or (
            (tc or numeric) and len(rest) == 3 and rest[1].text == "select" and (
                rest[2].kind == "w" or rest[2].text in ("login", "user")))
        # 1 union select foobar, ' union select pw--: one column after a breakout, the value ending there or cut off
        # by a comment ("Workers' union select leaders" is a headline; a number opening the value is not)
    if first.text == "collate" and tail and tail[0].kind == "w":
        return (tc and len(tail) == 1) or (len(tail) > 1 and tail[1].kind in "&o")  # 'collate nocase--: a collation
    if first.text == "as" and len(tail) > 2 and tail[0].kind in "sw" and tail[1].text == "from" and (
        len(tail) == 3 or tail[3].kind in "k;,)"
    ):
        return True  # 1234 AS "alias" FROM t: the value was a column of a SELECT list
    if first.kind == "k" and first.text in CLAUSES:
        if first.text == "into" and len(tail) > 1 and tail[0].kind == "w" and tail[1].kind in "wn":
            return False  # "into the wild": INTO names one table or variable, then a clause, never two words
        return bool(tail) and (tail[0].kind in "nwf(" or tail[0].text in ("delay", "outfile", "dumpfile"))
    if first.kind == "," and tail:
        return tail[0].kind == "f" or _subquery(tail) or tautology(rest[:20]) or _probe_call(tail)
    return False


_UNARY = frozenset({"-", "+", "~", "!"})
_NULL_TESTS = frozenset({"notnull", "isnull"})
"""Postfix null tests (PostgreSQL and SQLite): ``email notnull`` is ``email IS NOT NULL``, true for every row with
one; prose writes "not null" in two words."""
_COMPARISONS = frozenset({"=", "==", "<=>", "<>", "!=", "<", ">", "<=", ">="})


def _inert_expression(rest: Tokens, tc: bool) -> bool:
    """``rest`` starts with a symbol operator after the closed string. Walked as an expression (operator, operand,
    operator …): it does nothing an injection needs when it is arithmetic on column-like words alone ("' -dress
    -coat", a search's exclusions; `` 20" + x + 20``) or when SQL cannot parse it at all: two operands side by side
    (``"4.7" & iphone 6``, a number and a word in prose), two binary operators in a row (``"> foo </a>``, markup) or
    a character SQL has no use for (``?``). Constants joined by an operator and ended by a closed string or number
    (``"wild olive" + "cherries"``) leave the application's own quote unbalanced. A function, parenthesis, keyword,
    variable, logic operator or comparison ends the walk undecided, and so does a splice the application's quote
    closes (``te'+'st``, a concatenation probe; ``'+password+'``) or one a comment cuts off (``'-0--``)."""
    i, n, words, compared = 0, len(rest), 0, False
    while i < n and rest[i].kind == "o" and not rest[i].text.isalpha():
        if i and rest[i].text in ("!", "~"):
            return True  # unary only: "x !" after an operand is an exclamation, not SQL
        compared = compared or rest[i].text in _COMPARISONS
        j = i + 1
        while j < n and ((rest[j].kind == "o" and rest[j].text in _UNARY) or rest[j].text == "binary"):
            j += 1  # MySQL's BINARY is unary too: ' + binary '1 is a splice the application's quote closes
        if j < n and rest[j].kind == "o":
            return not rest[j].text.isalpha()  # "> </a>": a binary operator where an operand must be
        if j >= n or rest[j].kind not in "wnsS":
            return False
        words += rest[j].kind == "w"
        i = j + 1
    while i < n and rest[i].kind == ")":
        i += 1
    if i < n:
        return rest[i].kind in "wnsSx"
    last = rest[-1]
    if words == 0:
        return not compared and not tc and (last.kind != "S" or _open_text(last))
    return not compared and not (last.kind == "S" and len(last.text) == 1)


def _open_text(tok: Token) -> bool:
    """An unterminated string that holds words (``" means none``): the application's own quote closes a sentence, so
    the operator before it only joins two literals (``"-" means none`` is ``"" - " means none"``)."""
    body = tok.text[1:]
    return any(ch.isspace() for ch in body.strip()) and any(
        a.isalpha() and b.isalpha() for a, b in pairwise(body))


def _arithmetic_probe(tail: Tokens, tc: bool) -> bool:
    """After a number and an operator: a SQL function inside parentheses (``234 + (1 / ascii(substring(pw,1,1)))``,
    blind arithmetic that errors or not with each character), or a logic operator and a condition with the rest of
    the query cut off by a comment (``1+(pi()) and (3=pi())--``). "5 + (3 minutes)" calls nothing."""
    for i, tok in enumerate(tail[:12]):
        if tok.kind == "f" and tok.text in SQL_FUNCS and i and tail[i - 1].kind in "(o":
            return True
        if tc and tok.kind == "&":
            return condition(tail[i + 1 :], tc, strict=True)
    return False


def _probe_call(rest: Tokens, *, timing: bool = True) -> bool:
    """A call where a value is expected, possibly parenthesised: a timing or error function (``sleep(5)``,
    ``(updatexml(…``), or one of SQL's own functions whose arguments compare two constants (``make_set(5=5,1)``,
    ``iif(5=5,1,1/0)``, ``cast('x'||(select case when (5=5) …``): a boolean probe. After ``;`` (``timing=False``) a
    bare ``sleep(5)`` is JavaScript's (a NoSQL ``$where``), not a SQL statement."""
    i = 0
    while i < min(len(rest) - 1, 3) and rest[i].kind == "(":
        i += 1
    if i >= len(rest) or rest[i].kind != "f":
        return False
    return (timing and rest[i].text in TIMING_FUNCS) or (rest[i].text in SQL_FUNCS and tautology(rest[i : i + 20]))


def rest_quote(tok: Token) -> str:
    """The bare quote an unterminated string token would be if it held nothing (``'`` or ``"``)."""
    return tok.text[:1] if tok.kind == "S" else ""


def _delay_called(rest: Tokens) -> bool:
    """A waiting function called where a value is expected, anywhere in what follows the breakout."""
    return any(tok.kind == "f" and tok.text in DELAY_FUNCS and _called(rest, i) for i, tok in enumerate(rest))


def _where_condition(rest: Tokens, tc: bool) -> bool:
    """``where`` after a breakout starts a condition: a function or subquery, or an operand compared with a
    symbol operator or with a word operator followed by what SQL allows there ("where it is warm" is prose). Opening
    parentheses before the condition are read past (``' where (1=1)--``, ``x' where(5=5)-- -``, fresh44): the same
    test then applies to what they hold ("where (it is warm)" is still prose)."""
    start = 0
    while start < len(rest) and rest[start].kind == "(":
        start += 1
    rest = rest[start:]
    if not rest:
        return False
    if rest[0].kind == "f" or rest[0].text in ("exists", "not") or _subquery(rest):
        return True
    if len(rest) < 3 or not _operand(rest[0]) or rest[1].kind != "o":
        return False
    op, tail = rest[1].text, rest[2:]
    if op in WORD_OPERANDS:
        return WORD_OPERANDS[op](tail)
    return not op.isalpha() and (_operand(tail[0]) or tail[0].kind in "f(")


_IS_OPERANDS = frozenset({"null", "true", "false", "unknown", "distinct"})
WORD_OPERANDS: dict[str, Callable[[Tokens], bool]] = {
    "in": lambda t: t[0].kind == "(",
    "is": lambda t: t[0].text in _IS_OPERANDS or (t[0].text == "not" and len(t) > 1 and t[1].text in _IS_OPERANDS),
    "between": lambda t: len(t) > 2 and _operand(t[0]) and t[1].text == "and",
    "like": lambda t: t[0].kind in "nsSvf(",
    "rlike": lambda t: t[0].kind in "nsSvf(",
    "regexp": lambda t: t[0].kind in "nsSvf(",
    "glob": lambda t: t[0].kind in "nsSvf(",
}
"""What SQL allows after a word operator. Prose has the same words ("in Progress", "is great", "like new")
followed by ordinary words, which SQL never accepts there."""


_SET_OPERATORS = frozenset({"except", "intersect"})
"""Set operators other than UNION: only where they start the value (a fragment that continues the query)."""


def union_select(tokens: Tokens, ops: frozenset[str] = frozenset({"union"})) -> bool:
    """``UNION SELECT`` with a select list, or ``UNION VALUES (1, 2)`` (PostgreSQL, MySQL 8): a row of constants
    appended to the query's own. "the union values (and protects) its members" holds words, not constants. With
    ``ops``, another set operator at the value's start (``EXCEPT SELECT 1,2``, ``INTERSECT VALUES (1)``)."""
    for i, tok in enumerate(tokens):
        if tok.kind in "kfw" and tok.text in ops:  # union(select …) makes "union" look like a call
            j = i + 1
            while j < len(tokens) and tokens[j].kind == "(":
                j += 1
            if j < len(tokens) and tokens[j].text == "select" and select_list(tokens[j + 1 : j + 4]):
                return True
            if j + 3 < len(tokens) and tokens[j].text == "values" and tokens[j + 1].kind == "(" and (
                    _strong_operand(tokens[j + 2]) and tokens[j + 3].kind in ",)"):
                return True
    return False


_COMPARE = frozenset({"=", "==", "<=>", "like", "<>", "!="})
"""Equality only: "5 < 6 && 7 > 3" is arithmetic in prose; probes compare for equality (``and 1=1``)."""
SQL_FUNCS = TIMING_FUNCS | frozenset({
    "substring", "substr", "mid", "ascii", "ord", "char", "chr", "concat", "concat_ws", "length", "len", "hex",
    "unhex", "version", "database", "user", "current_user", "system_user", "schema", "if", "iif", "ifnull",
    "nullif", "coalesce", "cast", "convert", "count", "md5", "sha1", "rand", "floor", "elt", "make_set", "instr",
    "locate", "position", "left", "right", "lower", "upper", "db_name", "user_name", "host_name", "exists",
    "isnull", "bin", "generate_series", "json", "raise_error", "pi",
})
"""Functions a probe calls in a condition; a keyword before ``(`` in prose ("or else (movie 2023)") is not one."""
_CONDITION_START = frozenset({"where", "when", "having", "on"})


def _literal(tok: Token) -> str | None:
    if tok.kind == "n":
        return tok.text.lower()
    if tok.kind in "sS":
        return tok.text[1:-1] if tok.kind == "s" else tok.text[1:]
    return tok.text if tok.kind == "w" else None


def tautology(tokens: Tokens) -> bool:
    """A comparison of constants where a condition starts (``and 1083=1083``, ``where 1=0``,
    ``, '1'='1'``, ``when (4346=4346)``): true or false whatever the row, which is what a boolean
    probe needs and what no query written by the application contains. Two numbers, or the same
    string or word on both sides; a calculation in prose ("1+1=2", "I typed 1=1") has no condition
    keyword or separator before it."""
    for i, tok in enumerate(tokens):
        if not (tok.kind in "&,(" or (tok.kind == "k" and tok.text in _CONDITION_START)):
            continue
        j = i + 1
        while j < min(len(tokens), i + 4) and (tokens[j].kind == "(" or tokens[j].text in ("not", "-", "~")):
            j += 1  # a few at most: a long run of "(" is judged from each of its last ones, in linear time
        if j + 2 >= len(tokens) or tokens[j + 1].text not in _COMPARE:
            continue
        left, right = tokens[j], tokens[j + 2]
        if right.text in ("-", "~") and j + 3 < len(tokens):
            right = tokens[j + 3]  # or 1 = ~1, and -8=-8: a sign on either side
        if left.kind == "n" and right.kind == "n":
            return True
        a, b = _literal(left), _literal(right)
        if a is not None and a == b and (left.kind != "w" or tok.kind not in ",("):
            return True  # words only after a condition keyword: f(name=name) is a keyword argument
    return False


def _catalog(tokens: Tokens) -> bool:
    """A read of the database's catalogue, or ``select … from dual`` (the dummy table a probe selects
    from; "we ship from Dual Inc." has no SELECT list before it)."""
    for i, (prev, tok) in enumerate(pairwise(tokens)):
        if prev.text in _CATALOG_VERBS and tok.kind == "w":
            if tok.text.strip("`[]").startswith(CATALOGS):  # from `information_schema`.tables: a quoted name
                return True
            if tok.text == "dual" and prev.text == "from" and any(
                t.text == "select" and i - 8 <= j < i - 1 for j, t in enumerate(tokens[:i])
            ):
                return True
        if prev.text == "table" and tok.kind == "(" and i + 2 < len(tokens) and tokens[i + 2].kind == "f" \
                and tokens[i + 2].text.startswith(CATALOGS) and i and tokens[i - 1].text in _CATALOG_VERBS:
            return True  # from table(sysproc.env_get_inst_info()): DB2's table function over a catalogue routine
    return False


MATH_FUNCS = frozenset({"abs", "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos", "atan", "atan2", "sqrt",
                        "cbrt", "log", "ln", "log10", "log2", "exp", "floor", "ceil", "round", "sign", "pow", "power",
                        "degrees", "radians"})
"""Functions of a number that read nothing and wait for nothing (fresh52: mathjs and simpleeval formulas)."""
EXP_OVERFLOW = 709.0
"""``exp`` of more than this overflows a double: the error-based probe ``exp(710)``."""


def pure_math_call(tokens: Tokens, i: int) -> int:
    """The index after a call at ``tokens[i]`` of a ``MATH_FUNCS`` function whose arguments are numbers, names,
    arithmetic and more such calls (``tan(2)``, ``exp(i*x)``, ``log(exp(1.3))``), or 0: a formula, which SQL after a
    number only needs when it calls something that reads, waits or fails (``exp(710)``, ``exp(~(select…))``)."""
    if i + 1 >= len(tokens) or tokens[i].kind != "f" or tokens[i].text not in MATH_FUNCS or tokens[i + 1].kind != "(":
        return 0
    depth, j = 0, i + 1
    while j < len(tokens) and j < i + 40:
        tok = tokens[j]
        if tok.kind == "(":
            depth += 1
        elif tok.kind == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        elif tok.kind == "f":
            if not pure_math_call(tokens, j):
                return 0
        elif tok.kind == "n":
            if tokens[i].text == "exp" and _number(tok.text) > EXP_OVERFLOW:
                return 0
        elif not (tok.kind == "w" or tok.kind == "," or (tok.kind == "o" and tok.text in "+-*/^%")):
            return 0
        j += 1
    return 0


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("inf")


def _called(tokens: Tokens, i: int) -> bool:
    """``tokens[i]`` (a function) is called where a value is expected."""
    if i == 0:
        return True
    prev = tokens[i - 1]
    return prev.kind in "o&(," or (prev.kind == "k" and prev.text in _CALL_CONTEXT)


def _arrow_body(tokens: Tokens, i: int) -> bool:
    """``tokens[i]`` is the body of an arrow function (``() => sleep(100)``, ``(a, b) => sleep(a)``, C#'s
    ``x => Sleep(5)``): code, not SQL, which has no ``=>`` operator. The parameters must be a name or a parenthesised
    list of names (at most eight): after a literal or an expression (``1 => sleep(5)``, ``f('0x1'+1) => sleep(…)``)
    the arrow is no JavaScript either."""
    if i < 3 or tokens[i - 1].text != ">" or tokens[i - 2].text != "=":
        return False
    j = i - 3
    if tokens[j].kind == "w":
        return True
    if tokens[j].kind != ")":
        return False
    for k in range(j - 1, max(j - 18, -1), -1):
        if tokens[k].kind == "(":
            return k == 0 or tokens[k - 1].kind in "(,o"  # not a call's arguments: f(a) => …
        if tokens[k].kind not in "w,":
            return False
    return False


def _declared(rest: Tokens) -> bool:
    """``declare @s varchar(…)``: a T-SQL variable declared right after the string; no text writes it."""
    return len(rest) > 2 and rest[0].text == "declare" and len(rest[1].text) > 1 and rest[2].kind in "wf"


def _system_procedure(rest: Tokens) -> bool:
    """``exec master..xp_cmdshell``, ``exec sp_addlogin``: a stored procedure only an attacker calls."""
    return bool(rest) and rest[0].text in ("exec", "execute") and any(
        t.kind in "wf" and (t.text.startswith(("xp_", "sp_", "master.")) or (t.text == "master" and nxt.text == "."))
        for t, nxt in pairwise([*rest[1:7], rest[0]])
    )


SYSTEM_PROCEDURES = frozenset({
    "sp_addextendedproc", "sp_dropextendedproc", "sp_configure", "sp_oacreate", "sp_oamethod", "sp_makewebtask",
    "sp_addlogin", "sp_addsrvrolemember", "sp_addrolemember", "sp_adduser", "sp_grantlogin", "sp_password",
    "sp_executesql", "sp_execute_external_script", "sp_addlinkedserver", "sp_addlinkedsrvlogin",
})
"""SQL Server's system procedures that configure the server, run code or grant rights (with every ``xp_``
extended procedure): what a batch calls to take the server over, not what an application's value names."""
REMOTE_ROWSETS = frozenset({"openrowset", "opendatasource", "openquery"})
"""T-SQL functions that connect to another (or the same) server with a connection string of the caller's: a port
scan, a password guess or a remote query from inside the database (WSTG's SQL Server page)."""
PLSQL_TYPES = frozenset({"varchar2", "nvarchar2", "varchar", "number", "integer", "pls_integer", "binary_integer",
                         "boolean", "clob", "blob", "raw", "sys_refcursor", "int", "char", "date"})


def procedure_batch(tokens: Tokens, start: int) -> bool:
    """A batch that calls a SQL Server system procedure with its arguments and no ``EXEC`` (the first statement of a
    batch needs none): ``sp_addextendedproc 'xp_cmdshell','xp_log70.dll'``, ``master..sp_configure 'show advanced
    options',1``, ``xp_cmdshell 'dir'``. The name alone (a DBA's "disable xp_cmdshell") is prose; the call has its
    string argument right after it."""
    j = start
    if tokens[j].text == "master":  # master..sp_configure, master.dbo.xp_cmdshell
        j += 1
        while j < len(tokens) and j < start + 4 and (tokens[j].text in (".", "dbo", ".dbo", "sys", ".sys")):
            j += 1
    if j + 1 >= len(tokens):
        return False
    name = tokens[j].text.rsplit(".", 1)[-1]
    return (name in SYSTEM_PROCEDURES or (name.startswith("xp_") and len(name) > 3)) and tokens[j + 1].kind in "sS"


def plsql_declare(tokens: Tokens, start: int) -> bool:
    """A PL/SQL anonymous block: ``DECLARE buf VARCHAR2(2000); BEGIN …``: a variable, a PL/SQL type, the ``;``
    that ends the declaration and a ``BEGIN`` after it. (T-SQL's ``DECLARE @s`` is ``_tsql_head``'s.)"""
    rest = tokens[start : start + 12]
    if len(rest) < 5 or rest[1].kind != "w" or rest[2].text not in PLSQL_TYPES:
        return False
    for i, tok in enumerate(rest[3:], 3):
        if tok.kind == ";":
            return i + 1 < len(rest) and rest[i + 1].text == "begin"
    return False


def derived_subselect(tokens: Tokens) -> bool:
    """A sub-select whose ``FROM`` reads another parenthesised sub-select: ``(select mid(last(u),1,1) from (select
    top 10 u from users))``, the blind read of one row a value splices into a condition (WSTG's MS Access page). No
    prose nests "(select … from (select …"; each opening is looked at over a bounded window."""
    for i, tok in enumerate(tokens):
        if tok.kind == "(" and i + 1 < len(tokens) and tokens[i + 1].text == "select" and _subselect_at(tokens, i):
            for j in range(i + 2, min(i + 40, len(tokens) - 1)):
                if tokens[j].text == "from":
                    if _subselect_at(tokens, j + 1):
                        return True
                    break
    return False


def _tsql_head(tokens: Tokens, start: int) -> bool:
    """A value that is itself a T-SQL batch: ``declare @s …``, ``exec(@s)``, ``exec xp_cmdshell``,
    ``print @@version``."""
    head = tokens[start].text
    nxt = tokens[start + 1] if start + 1 < len(tokens) else None
    if nxt is None:
        return False
    if head in ("declare", "print"):
        return nxt.kind == "v" and len(nxt.text) > 1
    return (nxt.kind == "(" and start + 2 < len(tokens) and tokens[start + 2].kind == "v") or _system_procedure(
        tokens[start:])


def _leading_clause(rest: Tokens, tc: bool) -> bool:
    """``order by 3--``, ``order by 1,2``, ``order by sleep(5)``: a clause appended to the query."""
    if not rest:
        return False
    if rest[0].kind == "f":
        return True
    return rest[0].kind == "n" and ((tc and len(rest) == 1) or (len(rest) > 1 and rest[1].kind == ","))


def _url_userinfo(tokens: Tokens, i: int) -> bool:
    """``https://@@example.com/``, ``https://a:@@example.com/`` (rfc3986's tests, fresh51): the ``@`` that ends a
    URL's user information, right after ``scheme://`` or ``user:``, then the host."""
    before = [t.text for t in tokens[max(0, i - 5) : i]]
    return before[-3:] == [":", "/", "/"] or (before[-1:] == [":"] and before[-5:-2] == [":", "/", "/"])


def raw_value(tokens: Tokens, tc: bool) -> bool:
    """Injection without a quote: UNION SELECT, stacked statements, a number that turns into a
    condition (``1 or 1=1``), a timing/error function where a value was expected, a constant
    comparison where a condition starts, a read of the database's own catalogue, or a value that
    begins with a logic operator or clause and so continues the statement it is appended to."""
    if union_select(tokens) or tautology(tokens) or _catalog(tokens) or derived_subselect(tokens):
        return True
    if any(tok.kind == "v" and tok.text.startswith("@@") and len(tok.text) > 3 and not _url_userinfo(tokens, i)
           for i, tok in enumerate(tokens)):
        return True  # a server variable (@@version, @@datadir): no text outside SQL writes "@@name" (but a URL)
    for i, tok in enumerate(tokens):
        if tok.kind == ";" and statement(tokens, i + 1):
            return True
        if tok.kind == "f" and tok.text in TIMING_FUNCS and _called(tokens, i) and not _arrow_body(tokens, i) and (
                not pure_math_call(tokens, i)):
            return True
        if tok.kind == "f" and tok.text in REMOTE_ROWSETS and any(t.kind in "sS" for t in tokens[i + 2 : i + 5]):
            return True  # openrowset('SQLOLEDB', '…;Address=host,port', 'select 1'): a connection from the server
        if tok.text == "waitfor" and i + 2 < len(tokens) and tokens[i + 1].text in ("delay", "time") and (
                tokens[i + 2].kind in "sS"):
            return True  # T-SQL needs no ";" before WAITFOR DELAY '0:0:5', and no prose writes it
    start = 0
    while start < len(tokens) and (tokens[start].kind == "(" or tokens[start].text in ("-", "+")):
        start += 1
    if start >= len(tokens):
        return False
    head = tokens[start]
    if head.text == "select" and start > 0 and tokens[start - 1].kind == "(":
        return select_list(tokens[start + 1 :])
    if head.text in _SET_OPERATORS and union_select(tokens[start : start + 6], _SET_OPERATORS):
        return True  # except select 1,2: the value continues a query with a second one
    if head.text in ("in", "from") and _subselect_at(tokens, start + 1):
        return True  # in (select id from …, from(select count(*),…: the value continues a query inside its clause
    if head.text == "select" and select_list(tokens[start + 1 :]) and _nested_select(tokens[start + 1 :]):
        return True  # select 1 from(select count(*),concat((select …: a query built around a subquery
    if head.text in ("drop", "truncate") and len(tokens) > start + 2 and tokens[start + 1].kind == "w" and (
            tokens[start + 2].kind == ";" and tc):
        return True  # DROP t;-- : a statement ended and the rest of the query commented away
    if head.kind == "&":
        rest = tokens[start + 1 :]
        return not (rest and rest[0].kind == "f" and rest[0].text not in SQL_FUNCS) and condition(rest, tc, strict=True)
    if head.kind == "k" and head.text in ("order by", "group by"):
        return _leading_clause(tokens[start + 1 :], tc)
    if head.kind == "f" and head.text == "if":
        return statement(tokens, start)
    if head.text == "values" and len(tokens) > start + 3 and tokens[start + 1].kind == "(":
        return tokens[start + 2].kind in "nsv" and tokens[start + 3].kind == ","  # an INSERT's VALUES row
    if head.text in ("declare", "exec", "execute", "print") and _tsql_head(tokens, start):
        return True
    if head.text == "declare" and plsql_declare(tokens, start):
        return True
    if head.kind == "w" and procedure_batch(tokens, start):
        return True
    if head.kind not in "ns":
        return False
    rest = tokens[start + 1 :]
    if len(rest) > 1 and rest[0].text in _COMPARE and _literal(rest[1]) == _literal(head) and (
            tc or (len(rest) > 2 and rest[2].kind == "&")):
        return True  # 1='1' or-- : the value compared with itself, then a condition cut off by a comment
    return bool(rest) and after_breakout(_past_number_list(rest), tc, numeric=head.kind == "n")


def _past_number_list(rest: Tokens) -> Tokens:
    """``rest`` past a run of ``, <number>`` when ``FROM`` follows it: ``2,3 from users where id=1--`` is the tail of
    a ``UNION SELECT 1,2,3`` (the select list's last columns, as a split parameter carries them), judged from its
    ``FROM`` on like ``3 from users where id=1--``. Anything else is judged as it is."""
    i = 0
    while i + 1 < len(rest) and rest[i].kind == "," and rest[i + 1].kind == "n":
        i += 2
    return rest[i:] if i and i < len(rest) and rest[i].text == "from" else rest


def _subselect_at(tokens: Tokens, i: int) -> bool:
    """A parenthesised sub-select at ``tokens[i]`` whose list starts like a query's, or a select list followed by
    ``FROM``: "in (select all that apply)" and "from (select markets)" are prose."""
    if i + 2 >= len(tokens) or tokens[i].kind != "(" or tokens[i + 1].text != "select":
        return False
    after = tokens[i + 2]
    if after.kind in "nvf(" or after.text in ("*", "null", "case"):
        return True
    return select_list(tokens[i + 2 : i + 5]) and any(t.text == "from" for t in tokens[i + 3 : i + 12])  # reads 3


def _nested_select(tokens: Tokens) -> bool:
    """A parenthesised ``SELECT`` whose list starts like a query's (a number, variable, function, ``*``, ``null``
    or ``case``): "select (select all that apply)" is prose."""
    return any(
        tok.kind == "(" and nxt.text == "select" and (after.kind in "nvf(" or after.text in ("*", "null", "case"))
        for tok, nxt, after in zip(tokens, tokens[1:], tokens[2:], strict=False)
    )
