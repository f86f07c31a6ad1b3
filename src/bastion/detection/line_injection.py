"""A one-token value followed by lines of upper-case variable assignments: ``A\\n_POST_SERVICES=DEVICE.ACCOUNT``
(fresh49).

A CGI or PHP layer that parses its input, or a configuration file the device writes from a field, as
``NAME=value`` lines reads every line a newline adds as another variable. The D-Link ``getcfg.php`` exploit sends
``A=A%0a_POST_SERVICES%3dDEVICE.ACCOUNT%0aAUTHORIZED_GROUP%3d1`` to set itself an authorisation group; environment
and ``.conf`` injections look the same. The shape: the first line is one short token (an id, a word, a host: what
the field holds), and every following line assigns an upper-case name (``AUTHORIZED_GROUP=1``, ``LD_PRELOAD=…``).
A pasted ``.env`` file starts with an assignment, not a token, and text has blanks on its first line.
"""

from __future__ import annotations

import re

_TOKEN_THEN_ASSIGNMENTS = re.compile(
    r"[ \t]*[\w.:@/-]{1,64}[ \t]*(?:\r?\n|\r)(?:_?[A-Z][A-Z0-9_]{2,63}=[^\r\n]{0,200}(?:\r?\n|\r|$))+")


def assignment_lines(value: str) -> tuple[int, int] | None:
    """The span of a token followed by assignment lines (the whole value), else ``None``."""
    if "=" not in value:
        return None
    m = _TOKEN_THEN_ASSIGNMENTS.fullmatch(value.rstrip("\r\n") + "\n")
    return (0, len(value)) if m else None
