"""Commands a document compiler or a spreadsheet runs for the text it is given (formula and LaTeX injection):

- a DDE call in a spreadsheet formula (``=cmd|' /C calc'!A0``, ``@SUM(1+9)*cmd|' /C calc'!A0``,
  ``DDE("cmd";"/C calc";"!A0")``): Excel and LibreOffice read ``program|'arguments'!item`` as "start this program
  and ask it for that item", so a value exported into a CSV or a sheet starts the program when the file is opened.
  Only a program that runs what it is given counts (a shell, PowerShell, ``mshta``, ``rundll32``, ``regsvr32`` and
  the like, or the classic ``calc``/``notepad`` probes), and only after a formula start or an operator: a pipe
  between words (``dev|'ops'!``) is not a formula;
- any program named in a DDE link when the value is itself a formula (it opens with ``=``, ``+``, ``-`` or ``@``,
  after at most a few blanks or quotes, as a CSV cell may hold it): ``+cmd|'/c powershell …'!'A1'``,
  ``=notavirus|' /C x'!A0``. The ``|'…'!`` junction is the DDE syntax itself; a formula with a pipe in text
  (``="a|b"``) or a sheet reference (``='Q1 sales'!B2``) has none (fresh40's ``dde`` module, joined here with fresh42's
  DDE calls);
- a TeX shell escape: ``\\write18{…}`` (with or without ``\\immediate``) runs its argument in a shell when pdflatex
  allows it, and ``\\input{|"…"}`` / ``\\input|cmd`` reads the output of a command instead of a file. A LaTeX
  document that inputs its chapters (``\\input{chapter1}``) names no pipe and no ``write18``.
"""

from __future__ import annotations

import re

_PROGRAMS = (r"(?:cmd|command|powershell|pwsh|mshta|rundll32|regsvr32|msiexec|wscript|cscript|certutil|bitsadmin"
             r"|msexcel|excel|winword|calc|notepad|explorer|conhost|forfiles)(?:\.exe)?")
_DDE_CALL = re.compile(
    r"(?:^|[=+\-@*/(,;&^])\s*(?:" + _PROGRAMS + r"\s*\|\s*(?:'[^'\n]{0,400}'|[^'\"!\s]{1,400})\s*!"
    r"|dde\s*\(\s*\"\s*" + _PROGRAMS + r"\s*\"\s*[;,])", re.I)
_TEX_ESCAPE = re.compile(r"\\(?:immediate\s*)?\\?write18\s*\{|\\input\s*(?:\{\s*)?\|", re.I)


_FORMULA_SIGN = re.compile(r"""[\s"']{0,4}[=+\-@]""")

_DDE_LINK = re.compile(
    r"""^[\s"']{0,4}[=+\-@][^\n|]{0,200}?(?<![\w.])[a-z_][\w.]{0,63}\s*\|\s*'[^'\n]{0,300}'\s*![\s']*[a-z$]{0,3}\$?\d"""
    r"""|^[\s"']{0,4}[=+\-@][^\n]{0,200}?\bDDE\s*\(\s*"[^"\n]{1,64}"\s*[;,]\s*"[^"\n]{1,300}"\s*[;,]""",
    re.I,
)
"""The formula sign at the start (after at most a few blanks or quotes, as a CSV cell may hold it), then within one
line the DDE link ``name|'topic'!cell`` or the ``DDE(`` function with its program and topic strings. Every repeat
is bounded and no two of them overlap on the same characters, so a long line is read in linear time."""


def trigger() -> bytes:
    """The prefilter pattern: a DDE pipe or call, a TeX ``write18`` or piped ``\\input``."""
    return rb"\|\s*'[^'\x00\n]{0,400}'\s*!|dde\s*\(|write18|\\input\s*\{?\s*\|"


def doc_command(value: str) -> tuple[int, int] | None:
    """The span of a spreadsheet DDE call or a TeX shell escape, or ``None``."""
    if formula := _dde_formula(value):
        return formula
    if "|" in value or "dde" in value.lower():
        if (m := _DDE_CALL.search(value)) is not None:
            return m.start(), m.end()
    if "\\" in value and (m := _TEX_ESCAPE.search(value)) is not None:
        return m.start(), m.end()
    return None


def _dde_formula(value: str) -> tuple[int, int] | None:
    """The span of a DDE link in a value a spreadsheet would evaluate as a formula."""
    if not _FORMULA_SIGN.match(value):
        return None
    if ("|" not in value or "!" not in value) and "dde" not in value[:600].lower():
        return None
    if m := _DDE_LINK.search(value):
        return m.start(), m.end()
    return None
