"""Relative links in rendered markdown and HTML (fresh54): ``[docs](../../guide)``, ``[r]: ../x``, ``<a
href="../relative/path">``, ``<img src="../foo.jpg">``. A renderer writes the destination into an ``href`` or a
``src`` and the browser resolves it against the page's URL before it asks for anything: one or two ``../`` there
climb the site's own folders, not the server's file system. ``signatures.traversal`` masks them before it looks for
dot-dot segments (``relative_link_mask``).

Only a destination that opens with at most two ``../`` and then a name is masked: deeper climbs (``../../../x``), a
destination elsewhere in the value, and every sensitive file (``_SENSITIVE_FILE`` reads the whole value, masked or
not) are still judged. The search is one bounded pattern: linear in the value.
"""

from __future__ import annotations

import re

_RELATIVE_DESTINATION = re.compile(
    r"(?:\]\(\s*<?|\]:[ \t]+<?|\b(?:href|src|poster)\s*=\s*[\"'])((?:\.\./){1,2})(?=[\w-])(?!\.\./)", re.I
)


def _blank(m: re.Match[str]) -> str:
    return m.group()[: m.start(1) - m.start()] + " " * len(m.group(1))


def relative_link_mask(text: str) -> str:
    """``text`` with the ``../`` of each relative link destination blanked (same length), else ``text``."""
    if "](" not in text and "]:" not in text and "=" not in text:
        return text
    return _RELATIVE_DESTINATION.sub(_blank, text)
