"""A function serialized for node-serialize (``{"rce":"_$$ND_FUNC$$_function(){…}()"}``, CVE-2017-5941).

``node-serialize``'s ``unserialize`` turns every string that starts with ``_$$ND_FUNC$$_`` back into a function by
handing the rest to ``eval``; a trailing ``()`` makes it an immediately invoked function, so the body runs while the
cookie or body is being read (``require('child_process').exec(…)``, a reverse shell, a web shell on a new port).
``_$$ND_CC$$_`` marks a class constructor the same way. The marker is this library's private tag, never text a
person writes, so its presence followed by code (``function``, an arrow's ``(`` or a name) is the signal, wherever
it stands in the value.
"""

from __future__ import annotations

import re

_MARKER = re.compile(
    r"_\$\$ND_(?:FUNC|CC)\$\$_\s*(?:function\b|async\b|class\b|\(|[A-Za-z_$][\w$.]{0,100}\s*[(=])", re.I)


def trigger() -> bytes:
    """The prefilter pattern: the library's marker."""
    return rb"_\$\$nd_(func|cc)\$\$_"


def serialized_function(value: str) -> tuple[int, int] | None:
    """The span of a node-serialize function marker followed by code, or ``None``."""
    if "$$ND_" not in value and "$$nd_" not in value.lower():
        return None
    m = _MARKER.search(value)
    return (m.start(), m.end()) if m is not None else None
