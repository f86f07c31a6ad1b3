"""Two SQL probes that close or branch an expression with no operator the token walk in ``sqli`` reads as a probe.

- A break-out that closes an ``INSERT``'s ``VALUES`` list: a quote ends the application's string, more literals
  follow after commas (the columns the statement still needs), ``)`` closes the list (perhaps more rows after it)
  and a comment cuts off what the application appends: ``x', 'y'); --``, ``a", 1, null)#``. The row the attacker
  writes is theirs (a role, a price); prose does not close a parenthesis and then a comment after quoted words.
- A conditional error: ``CASE WHEN … THEN`` (or ``ELSE``) a division by zero, perhaps inside a conversion
  (``TO_CHAR(1/0)``, Oracle's error-based probe; ``1/0`` in PostgreSQL): the condition's truth comes back as an
  error or not, whatever the condition is.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_LITERAL = (r"(?:'[^'\n]{0,64}'|\"[^\"\n]{0,64}\"|-?\d{1,20}(?:\.\d{1,10})?|null|true|false|default"
            r"|[a-z_]\w{0,31}\([ \t]*\))")
_VALUES_BREAKOUT = re.compile(
    rf"[^'\"\n]{{0,64}}(['\"])[ \t]*(?:,[ \t]*{_LITERAL}[ \t]*){{1,16}}\)[ \t]*"
    rf"(?:,[ \t]*\([ \t]*{_LITERAL}(?:[ \t]*,[ \t]*{_LITERAL}){{0,15}}[ \t]*\)[ \t]*){{0,8}}"
    r"(?:;[ \t]*)?(?:--|#|/\*)[ \t+-]*\s*",
    re.I,
)
_CASE_ERROR = re.compile(
    r"\bcase\s+when\b[^;]{1,200}?\b(?:then|else)\s+(?:[a-z_]\w{0,31}\s*\(\s*)?-?\d{1,20}\s*/\s*0+(?![\d.])"
    r"[^;]{0,200}?\bend\b",
    re.I,
)


def values_or_case_error(value: str, low: str) -> Span | None:
    """The span of a ``VALUES`` break-out or a ``CASE`` conditional error (see the module docstring), if any."""
    if len(value) < 600 and ")" in value and ("'" in value or '"' in value) and (
            closed := _VALUES_BREAKOUT.fullmatch(value)):
        return closed.start(1), len(value)
    if "case" in low and "/" in value and (error := _CASE_ERROR.search(value)):
        return error.start(), error.end()
    return None
