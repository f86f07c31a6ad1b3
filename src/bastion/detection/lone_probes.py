"""Two whole values a scanner sends to see whether a parameter reaches a shell (Nmap's ``http-waf-detect``, fresh47):

- ``ping host.example``: ``ping`` and one host (a name with a dot, an IPv4 or IPv6 address) and nothing else. With
  options (``ping -c 3 x``) ``commands`` already reads it; a sentence around it (``ping google.com fails``, ``can't
  ping 10.0.0.1``) stays text;
- a probe tool followed by NUL bytes, raw or still ``%00`` (a header), and nothing else (``hostname%00``,
  ``whoami\\x00``): the NUL cuts off whatever the application appends after the value, which only a break-out
  wants; no text ends in a NUL.

Each check is one bounded match on the whole value: linear. The ``cmdi`` trigger fires on ``ping`` and a blank and on
a word and ``%00`` (``trigger``); a value holding a real NUL is read by the ``cmdi`` analyser through the engine (a
trigger cannot see it: the prefilter joins values with NUL).
"""

from __future__ import annotations

import re

from bastion.detection.cmd_lone import OPENERS

_PING_HOST = re.compile(
    r"\s*ping(?:\.exe)?[ \t]+(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}|\d{1,3}(?:\.\d{1,3}){3}"
    r"|\[?[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}\]?)\.?\s*", re.I)
_NUL_TOOLS = OPENERS | {"id", "ls", "pwd", "ps", "who", "w", "dir", "ver", "uname", "whoami", "hostname", "ipconfig"}
_NUL_TOOL = re.compile(r"\s*(?:[;|&]\s*)?([A-Za-z][\w.-]{0,31})(?:\x00|%00)(?:\x00|%00|\s)*")


def trigger() -> bytes:
    """The prefilter pattern: a value opening with ``ping`` and a blank."""
    return rb"(^|\x00)\s*ping(\.exe)?[ \t]+[a-z0-9\[]|(^|\x00)\s*([;|&]\s*)?[a-z][\w-]{0,31}(%00)+\s*(\x00|$)"


def lone_probe(value: str) -> tuple[int, int] | None:
    """The span of the whole value when it is ``ping host`` or a probe tool cut off by NUL, or ``None``."""
    if len(value) > 300:
        return None
    if "\x00" in value or "%00" in value:
        m = _NUL_TOOL.fullmatch(value)
        return (0, len(value)) if m is not None and m.group(1).lower() in _NUL_TOOLS else None
    return (0, len(value)) if _PING_HOST.fullmatch(value) else None
