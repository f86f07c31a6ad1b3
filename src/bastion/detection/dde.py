"""Spreadsheet formulas that start a program through Dynamic Data Exchange (CSV / formula injection).

A value that a spreadsheet will read as a formula (it opens with ``=``, ``+``, ``-`` or ``@``) and names a DDE link,
``program|'topic'!item``, makes Excel (or LibreOffice) start ``program`` with ``topic`` as its command line when the
exported sheet is opened: ``=cmd|' /C calc'!A0``, ``+cmd|'/c powershell -nop -c iex …'!'A1'``,
``@SUM(1+1)*cmd|' /C notepad'!A0``, also the ``DDE("cmd";"/C calc";"!A0")`` function. The ``|'…'!`` junction is the
DDE syntax itself; a formula with a pipe in text (``="a|b"``) or a sheet reference (``='Q1 sales'!B2``) has none.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_FORMULA_SIGN = re.compile(r"""[\s"']{0,4}[=+\-@]""")

_DDE_LINK = re.compile(
    r"""^[\s"']{0,4}[=+\-@][^\n|]{0,200}?(?<![\w.])[a-z_][\w.]{0,63}\s*\|\s*'[^'\n]{0,300}'\s*![\s']*[a-z$]{0,3}\$?\d"""
    r"""|^[\s"']{0,4}[=+\-@][^\n]{0,200}?\bDDE\s*\(\s*"[^"\n]{1,64}"\s*[;,]\s*"[^"\n]{1,300}"\s*[;,]""",
    re.I,
)
"""The formula sign at the start (after at most a few blanks or quotes, as a CSV cell may hold it), then within one
line the DDE link ``name|'topic'!cell`` or the ``DDE(`` function with its program and topic strings. Every repeat
is bounded and no two of them overlap on the same characters, so a long line is read in linear time."""


def dde_formula(value: str) -> Span | None:
    """The span of a DDE link in a value a spreadsheet would evaluate as a formula."""
    if not _FORMULA_SIGN.match(value):
        return None
    if ("|" not in value or "!" not in value) and "dde" not in value[:600].lower():
        return None
    if m := _DDE_LINK.search(value):
        return m.start(), m.end()
    return None
