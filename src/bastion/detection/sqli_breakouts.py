"""SQL break-outs too short or too plain for the grammar: a SET-list continuation, a quoted tautology word and a
break-out probe.

- ``',M_Level='3``: the value closes the quoted field it was put in, adds ``column='value`` to the ``UPDATE … SET``
  list and leaves the last quote for the application to close (the Snitz ``BuildTime`` injection, fresh46). The whole
  value is a quote, a comma, a column name, ``=`` and an opening quote with no closing one: a name or an address
  never opens a field that way;
- ``'or'``: the whole value is ``or`` (or ``||``) between single quotes: put into ``name='…' and pass='…'`` it
  turns both comparisons into ``''or''``, true for every row (classic ASP logins). ``'and'`` makes nothing true and
  stays a quoted word;
- ``13' OR sqlspider``: the whole value is a quote (after at most a number, the parameter's own value) then ``OR``
  and one bare word: ``WHERE id='13' OR sqlspider'`` makes the query fail or, with a true column, match every row
  (Nmap's ``http-sql-injection``, fresh47). A name with an apostrophe (``girls' or boys``) has letters before the
  quote, and a quoted word (``'80s' or '90s'``) a second quote;
- ``'">``: the whole value is one to three quotes and an optional ``/`` before ``>``: the probe a scanner sends to see
  which context breaks; no text is only that.

A whole ``SELECT`` statement, even one with a sub-select, is left alone: services that take a query (a report builder,
a data API) receive exactly that, and the fresh24 benign set is made of such statements.

Each check is a bounded match on the whole value: linear in the value. No trigger of its own: every shape opens on a
quote, which the ``sqli`` trigger already has.
"""

from __future__ import annotations

import re

_SET_CONTINUATION = re.compile(r"\s*(['\"])\s*,\s*[A-Za-z_][\w.]{0,63}\s*=\s*\1[^'\"]{0,200}")
_QUOTED_WORD = re.compile(r"\s*'\s*(?:or|\|\|)\s*'\s*", re.I)
_PROBE = re.compile(r"\s*['\"`]{1,3}\s*/?>\s*")
_OR_WORD = re.compile(r"\s*\d{0,20}(['\"])\s*(?:or|\|\|)\s+[A-Za-z_]\w{0,63}\s*", re.I)


def breakout(value: str) -> tuple[int, int] | None:
    """The span of one of the module's shapes, or ``None``."""
    if len(value) <= 260 and value.lstrip()[:1] in ("'", '"', "`"):
        for rx in (_SET_CONTINUATION, _QUOTED_WORD, _PROBE):
            if rx.fullmatch(value):
                return 0, len(value)
    if len(value) <= 120 and ("'" in value or '"' in value) and _OR_WORD.fullmatch(value):
        return 0, len(value)  # fresh47: ' OR sqlspider
    return None
