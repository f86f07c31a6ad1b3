"""An absolute path that reaches a system directory through ``.`` steps (fresh64: Aikido Zen's path-traversal tests,
``/./././root/test.txt``, ``/./././root``): ``/./`` names the folder it stands in, so the path is the system folder's
own, spelled so that a check for a leading ``/root`` or ``/etc`` misses it. ``/./etc/passwd`` was refused already for
its file; a folder with no known file after it was not.

Counted: a value that opens with ``/``, one or more ``./`` steps (a ``/`` may be doubled), then a system directory as a
whole segment (``root``, ``etc``, ``proc``, ``sys``, ``boot``, ``home``, ``var``, ``usr``, ``bin``, ``sbin``,
``dev``), then the end of the value or a ``/``. A relative ``./src/index.js`` or ``/./app/data`` (no system folder)
passes. Anchored at the value's start with bounded runs: linear. The prefilter reaches it through the traversal
trigger's ``/.``.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_DOTTED_SYSTEM = re.compile(
    r"\s*+/(?:\./++){1,32}+(?:root|etc|proc|sys|boot|home|var|usr|bin|sbin|dev)(?=/|\s*+$)", re.I)


def dotted_system_path(value: str) -> Span | None:
    """The span of ``/./…/<system folder>`` at the value's start, or ``None``."""
    if not value.lstrip().startswith("/."):
        return None
    m = _DOTTED_SYSTEM.match(value)
    return m.span() if m else None
