"""Shell commands spelled out of parameter expansions, with no command word in the value (``shell_expansion``).

A filter that looks for command names and blanks is passed by building both at run time from the environment:
``${PATH#/???/}`` trims ``/usr/`` off ``$PATH`` and ``${W%%?????:*}`` keeps what is left up to the first ``:``, so a
few assignments chained with ``&&`` spell ``php`` or ``bash``, and ``$IFS`` stands for the blanks:
``&&W=${PATH#/???/}&&P=${W%%?????:*}&&…&&$P$H$P$IFS-$R$IFS'…'`` (the Pi-hole MAC-address injection, fresh46). Two
shapes are read, each only shell syntax, never prose or a configuration value:

- ``$IFS`` (or ``${IFS}``) glued between words or expansions, standing for a blank: ``cat$IFS/etc/hosts``,
  ``$P$IFS-c``. A sentence that names the variable puts a blank or a quote before it;
- a command position (the value's start, or after ``;``, ``&``, ``|``, a line break, a backquote or ``$(``) taken by
  two or more expansions glued together (``$P$H$P``, ``${a}${b}``): the command word itself is assembled. Scripts
  in documentation assign ``name=${file%.*}`` and run ``$CC -o $name``; they do not run a word glued from
  variables. The trimming assignments that prepare the pieces (``W=${PATH#/???/}``) are left alone: they only count
  through the glued command they feed.

One regex pass each, no nested quantifier over overlapping classes: linear in the value.
"""

from __future__ import annotations

import re

_GLUED_IFS = re.compile(r"(?:[\w}'\"]|\$[A-Za-z_]\w*)\$(?:\{IFS\}|IFS(?![\w]))(?=[\w$'\"/.\-{(\\~])")
_SEP = r"(?:^|[;&|\n`]|\$\()\s*"
_GLUED_EXPANSIONS = re.compile(_SEP + r"(?:\$\{[A-Za-z_]\w*\}|\$[A-Za-z_]\w*(?![\w{])){2,}")


def trigger() -> bytes:
    """The prefilter pattern: a glued ``$IFS``, or two glued expansions at the value's start (after a separator the
    ``cmdi`` trigger fires anyway)."""
    return rb"[\w}'\"]\$(\{ifs\}|ifs)|(^|\x00)\s*\$\{?[a-z_]\w*\}?\$\{?[a-z_]"


def expansion_command(value: str) -> tuple[int, int] | None:
    """The span of a command spelled from expansions, or ``None``."""
    if "$" not in value:
        return None
    if "IFS" in value and (m := _GLUED_IFS.search(value)) is not None:
        return m.start(), m.end()
    if (m := _GLUED_EXPANSIONS.search(value)) is not None:
        return m.start(), m.end()
    return None
