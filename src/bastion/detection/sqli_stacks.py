"""SQL shapes an in-app SQL detector's tests hand it as the user parameter (fresh64: Aikido Zen's tests and its
attack-wave query checks) that the grammar in ``sqli`` does not reach:

- empty statements between terminators, ``Alice');;;;;;;    --`` (``empty_statements``): SQL runs ``;;`` as one
  terminator and nothing, so a run of ``;`` (blanks between) is read as a single ``;`` and the value judged again by
  ``sqli.is_sqli``, which refuses ``Alice'); --``. Text with ``;;`` and no SQL after it stays text;
- a quote that closes a ``VALUES`` tuple, a new tuple opened, and in it a call of a function that reports on the
  server, ``"), ("exploit",system_user())``, ``'), ('x',user())`` (``tuple_breakout``): the attacker's row carries
  the database user or version into the table. A tuple of plain values (``'), ('b', 2``) is not read;
- ``WAITFOR DELAY`` or ``WAITFOR TIME`` followed by a number, a quoted time or a variable, anywhere in the value
  (``delay_statement``): SQL Server's sleep. No other language or prose writes the two words together;
- a quote break-out at the value's start (a short word before it at most) followed by ``,`` or ``)`` and a system
  catalog object, ``', information_schema.tables`` (``catalog_breakout``): the application's select list or
  ``IN (…)`` list continues with the catalog. A sentence naming ``information_schema.tables`` has no such opening;
- a ``COPY`` statement stacked after a terminator that reads or writes a server file or runs a program,
  ``;copy t to '/tmp/x'``, ``; COPY t FROM PROGRAM 'id'`` (``stacked_copy``): PostgreSQL's file access. ``Copy the
  config to /etc/nginx`` in a runbook has no ``;`` before it.

Every pattern is anchored at a literal (a quote, a ``;``, a keyword) and reads bounded runs with no nested quantifier
over overlapping classes: linear in the value. The prefilter reaches them through the sqli trigger (a quote, a ``;``,
``information_schema``, ``waitfor``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

Span = tuple[int, int]

_TERMINATOR_RUN = re.compile(r";(?:[ \t]*+;)++")
_REPORTING_CALLS = (
    r"(?:system_user|current_user|session_user|user|version|database|schema|current_database|@@version"
    r"|load_file|sleep|pg_sleep|benchmark|db_name|host_name|suser_name)"
)
_TUPLE_BREAKOUT = re.compile(
    r"['\"]\s*+\)\s*+,\s*+\(\s*+(?:(?:'[^'\n]{0,64}+'|\"[^\"\n]{0,64}+\"|[\w.@+-]{1,32}+)\s*+,\s*+){0,8}+"
    + _REPORTING_CALLS + r"\s*+\(",
    re.I,
)
_DELAY = re.compile(r"\bwaitfor\s++(?:delay|time)\s++(?:['\"]?\d|@)", re.I)
_CATALOG_BREAKOUT = re.compile(
    r"\s*+[\w-]{0,32}+['\"]\s*+[),]\s*+(?:information_schema|pg_catalog|mysql|sys)\s*+\.\s*+[a-z_]"
    r"|\s*+[\w-]{0,32}+['\"]\s*+[),]\s*+(?:sqlite_master|sysobjects|syscolumns|pg_shadow|pg_user)\b",
    re.I,
)
_STACKED_COPY = re.compile(
    r";\s*+copy\s++[\w.\"]{1,64}+(?:\s*+\([\w\s,\"]{0,200}+\))?\s++(?:to|from)\s++(?:program\b|'?/|stdout\b)", re.I
)


def stacked_shape(value: str, is_sqli: Callable[[str], object]) -> Span | None:
    """Any of the module's shapes, each behind the characters it needs: one call from the engine per value (most
    values hold none of ``;;``, a quote before ``),``, ``waitfor`` or ``;``, and cost five string tests)."""
    if ";" in value:
        if (";;" in value or "; ;" in value or ";\t;" in value) and (found := empty_statements(value, is_sqli)):
            return found
        if "opy" in value or "OPY" in value:
            found = stacked_copy(value)
            if found:
                return found
    if "'" in value or '"' in value:
        if ")" in value and "," in value and (found := tuple_breakout(value)):
            return found
        if ("," in value or ")" in value) and (found := catalog_breakout(value)):
            return found
    if "aitfor" in value or "AITFOR" in value:
        return delay_statement(value)
    return None


def empty_statements(value: str, is_sqli: Callable[[str], object]) -> Span | None:
    """The whole value when reading its runs of ``;`` as one terminator makes it SQL injection."""
    if ";;" not in value and "; ;" not in value and ";\t;" not in value:
        return None
    if len(value) > 2000:
        return None
    collapsed = _TERMINATOR_RUN.sub(";", value)
    if collapsed == value:
        return None
    return (0, len(value)) if is_sqli(collapsed) else None


def tuple_breakout(value: str) -> Span | None:
    """The span of a closed tuple, a new one and a reporting call in it, or ``None``."""
    if ")" not in value or "(" not in value:
        return None
    m = _TUPLE_BREAKOUT.search(value)
    return m.span() if m else None


def delay_statement(value: str) -> Span | None:
    """The span of ``WAITFOR DELAY``/``TIME`` and its argument, or ``None``."""
    if "aitfor" not in value and "AITFOR" not in value:
        return None
    m = _DELAY.search(value)
    return m.span() if m else None


def catalog_breakout(value: str) -> Span | None:
    """The span of a quote break-out at the value's start that continues with a system catalog object, or ``None``."""
    if len(value) > 400 or ("'" not in value and '"' not in value):
        return None
    m = _CATALOG_BREAKOUT.match(value)
    return m.span() if m else None


def stacked_copy(value: str) -> Span | None:
    """The span of a stacked ``COPY`` to or from a server file or a program, or ``None``."""
    if ";" not in value:
        return None
    m = _STACKED_COPY.search(value)
    return m.span() if m else None
