"""An XPath query broken out of a string literal and joined to a path of the attacker's (fresh68: brokencrystals's
XPath injection, ``')] | //* | a[('``): a quote closes the literal the application put the value in, ``)`` closes
the calls around it (``contains(name, '…')``) and ``]`` the predicate itself, and ``|`` — XPath's union — adds a
location path of its own, absolute or descendant (``//*``, ``//password``, ``/users/user``). The query then returns
every node that path selects as well: the whole document.

Only that order counts: a quote, a few ``)`` (at most eight), a ``]``, a single ``|`` and a path opening with ``/``
or ``//`` and a name, ``*`` or ``@``; with no ``)`` closed, only a descendant path ``//`` counts (a markdown table
row ``| cfg['dir'] | /var/lib |`` names a key and a folder). A script's ``opts['a'] | 0`` (a bitwise or),
``x["k"] || // note`` (a logical or, then a comment), a regex ``['"]|//.*`` and a markdown table cell
(``| 'a' | b |``) do not reach it.

Possessive runs of bounded length after each quote: linear. The ``sqli`` prefilter trigger (a quote) reaches it.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_UNION = re.compile(
    r"['\"][ \t]*+(?:(?:\)[ \t]*+){1,8}+\][ \t]*+\|(?!\|)[ \t]*+/{1,2}+|\][ \t]*+\|(?!\|)[ \t]*+//)[\w*@]")


def xpath_union(value: str) -> Span | None:
    """The break-out and the joined path when a quote, the predicate's close and ``| /path`` follow one another."""
    if "|" not in value or "]" not in value:
        return None
    m = _UNION.search(value)
    return (m.start(), min(len(value), m.end() + 24)) if m else None
