"""Struts OGNL expressions in ``%{…}`` that reach the Java runtime (fresh45: S2-016's ``redirect:%{…}`` PoC).

``%{…}`` is OGNL's expression delimiter in Struts parameters, tags and prefixed parameters (``action:``,
``redirect:``, ``redirectAction:``). ``ssti`` reads ``${…}``, ``#{…}`` and the other engines' delimiters, not this
one: ``%{name}`` is also Ruby's and Rails i18n's named format placeholder (``"Hello %{name}"``), so the delimiter
alone decides nothing. What counts is an expression that opens like OGNL code (``%{(`` or ``%{#``, the prefilter's
``ssti`` trigger) and, before the next ``%``, constructs or reaches a process or the class loader:
``new java.lang.ProcessBuilder(…)``, ``@java.lang.Runtime@getRuntime()``, ``#_memberAccess``, ``.exec(``,
``forName(``. A format placeholder holds a name and no call.
"""

from __future__ import annotations

import re

_OGNL_RUNTIME = re.compile(
    r"%\{\s*+[#(][^%\n]{0,600}?(?:\bProcessBuilder\b|\bjava\.lang\.Runtime\b|\bgetRuntime\s*\(|#_?memberAccess\b"
    r"|\bforName\s*\(|\.\s*exec\s*\(|\bgetClassLoader\s*\()")


def ognl_expression(value: str) -> tuple[int, int] | None:
    """The span from the ``%{`` to the runtime access, or ``None``. Each ``%{`` is read to the next ``%`` at most
    (600 characters), so the cost is linear."""
    if "%{" not in value:
        return None
    m = _OGNL_RUNTIME.search(value)
    return m.span() if m else None
