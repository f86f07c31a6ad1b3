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

``xpath_probe`` (fresh70: the OWASP community page on blind XPath injection): a blind probe's XPath expression as
the value, for a query that puts it where an expression goes (``[position()=…]``, a numeric predicate). An XPath
function (``count``, ``string-length``, ``substring`` …) whose argument is an absolute or descendant location path
(``//user``, ``(/users``) that walks with a positional predicate or an axis (``[position()=1]``, ``[2]``, ``[last()]``,
``[@…``, ``child::node()``, ``descendant::``): ``count(//user/child::node())``,
``string-length(//user[position()=1]/child::node()[position()=2])=6``. A path alone (``count(//item)``), a URL's
``(//cdn…`` and a code comment do not walk that way. At most eight function heads are judged, each on a slice of 160
characters after it: linear.
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


_XPATH_HEAD = re.compile(
    r"\b(?:count|string-length|substring(?:-before|-after)?|name|local-name|string|contains|starts-with|"
    r"normalize-space|sum|translate)[ \t]*+\([ \t(]{0,4}+/{1,2}+[\w*@]",
    re.I,
)
_XPATH_WALK = re.compile(
    r"\[[ \t]*+(?:position\(\)|last\(\)|\d{1,4}+[ \t]*+\]|@)|\b(?:child|descendant(?:-or-self)?|ancestor(?:-or-self)?|"
    r"parent|following(?:-sibling)?|preceding(?:-sibling)?|self|attribute)::",
    re.I,
)
_XPATH_HEADS = 8


def xpath_probe(value: str) -> Span | None:
    """An XPath function over a location path that walks with a positional predicate or an axis (see above)."""
    if "//" not in value and "(/" not in value:
        return None
    for count, m in enumerate(_XPATH_HEAD.finditer(value)):
        if count == _XPATH_HEADS:
            break
        if _XPATH_WALK.search(value, m.end(), m.end() + 160):
            return m.start(), min(len(value), m.end() + 160)
    return None
