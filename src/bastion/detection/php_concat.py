"""A whole value that closes a PHP string, concatenates one function call and reopens the string: ``".f(…)."``.

Put into PHP source that is later evaluated (``create_function``, ``eval`` of a built string, a cached settings file),
``$x = "…VALUE…";`` becomes ``$x = "".f(…)."";`` and the call runs (WordPress CM Download Manager's ``CMDsearch``,
CVE-2014-8877, which Nmap probes with ``".base64_decode("…")."``, fresh47). ``shell`` already reads a process function
there (``".system("id")."``); any function counts here, since the concatenation itself is the break-out: the value is
a quote, a dot, a bare function name glued to ``(``, its arguments, ``)``, a dot and the same quote, with an optional
``;`` and comment. A quoted sentence (``". See (note)."``) has a blank before ``(``; JavaScript concatenates with
``+``.

One bounded match on the whole value: the argument list is a bounded run of non-parentheses with one level of nesting,
so the check is linear. ``trigger`` fires on a value opening with a quote, a dot and a name glued to ``(``.
"""

from __future__ import annotations

import re

_CONCAT_CALL = re.compile(
    r"""\s*(["'])\s{0,2}\.\s{0,2}@?[A-Za-z_]\w{0,63}\((?:[^()\n]|\([^()\n]{0,80}\)){0,300}\)\s{0,2}\.\s{0,2}\1"""
    r"""\s*(?:;\s*(?://|#)?\s*)?""")


def trigger() -> bytes:
    """The prefilter pattern: a quote, a dot and a function name glued to ``(`` opening the value."""
    return rb"(^|\x00)\s*[\"']\s{0,2}\.\s{0,2}@?[a-z_]\w{0,63}\("


def concat_call(value: str) -> tuple[int, int] | None:
    """The span of the whole value when it is a string break-out around one call, or ``None``."""
    if len(value) > 800 or value.lstrip()[:1] not in ("'", '"') or "(" not in value:
        return None
    return (0, len(value)) if _CONCAT_CALL.fullmatch(value) else None
