"""A whole value that is a short chain of shell commands ending in a probe whose output answers "did it run?"
(fresh58: Akto's command-injection templates replace a parameter with ``sleep 5 && id``, ``nslookup akto.io && id``,
``id > output.txt && date +"%d-%B-%Y" >> output.txt``, ``id\\ndate +"%d-%B-%Y"``, ``id%20&&%20date +"%d-%B-%Y"``).

The value splits on shell operators (``&&``, ``||``, ``;``, ``|``, a line break or carriage return; the same spelled
percent-encoded, ``%26%26``, ``%20``, ``%0a``, and ``%00``, which a C string ends at, as the probes send them twice
encoded) into two to eight links. It is a command chain when the first link opens with a command the shell knows
(``FIRST``: the reconnaissance tools and the usual probe openers ``sleep``, ``echo``, ``cat``, ``ping``, ``id``) and
a later link is one of the answers a probe reads back: ``id``, ``whoami``, ``hostname`` or ``uname`` alone (an option
allowed) or ``date`` with a ``+`` format (``date +"%d-%B-%Y"``: the day it ran), each with an output redirection
allowed. A list or CSV header (``name;id``) opens with no command; prose does not end a clause in a bare ``id``
after ``&&``; a single command line (``cat output.txt``, ``echo $VAR``) is left to the other rules (one command alone
is documentation as often as a probe). Splitting and matching are bounded per link: linear in the value.
"""

from __future__ import annotations

import re

from bastion.detection.commands import RECON

FIRST = RECON | {
    "sleep",
    "echo",
    "printf",
    "cat",
    "ping",
    "id",
    "whoami",
    "hostname",
    "uname",
    "date",
    "curl",
    "dig",
    "host",
    "ls",
    "pwd",
    "timeout",
    "expr",
}
"""Commands a probe chain opens with."""
_ENCODED = re.compile(r"%(?:20|09|0a|0d|26|3b|7c|00)", re.I)
_DECODED = {"20": " ", "09": "\t", "0a": "\n", "0d": "\r", "26": "&", "3b": ";", "7c": "|", "00": "\n"}
_OPERATOR = re.compile(r"[ \t]*+(?:&&|\|\||[;|\n\r])[ \t]*+")
_WORD = re.compile(r"([a-z][\w.-]{0,31}+)(?=[ \t>]|$)")
_REDIRECT = re.compile(r"[ \t]*+>>?[ \t]*+[\w./~-]{1,200}+$")
_PROBE = re.compile(
    r"(?:id|whoami|hostname|uname(?:[ \t]++-[a-z]{1,4}+)?|date[ \t]++\+(?:\"[^\"\n]{0,80}+\""
    r"|'[^'\n]{0,80}+'|%\S{1,80}+))"
)


def trigger() -> bytes:
    """The prefilter's cheap test (lower-cased bytes, values joined by NUL): only the percent-encoded separators glued
    to a probe (``id%00date``, ``hostname%0aid``); the plain chains (``sleep 5 && id``, ``id\\ndate``) already wake
    the cmdi class through ``shell``'s triggers, and a wider pattern here cost 1 % of the waf on every request."""
    return rb"%(?:0a|0d|00|3b|7c|26)(?:id|whoami|hostname|uname|date)"


def _probe(link: str) -> bool:
    return _PROBE.fullmatch(_REDIRECT.sub("", link)) is not None


def probe_chain(value: str) -> tuple[int, int] | None:
    """The span of a whole value that is a command chain ending in an ``id``/``whoami``/``date +fmt`` probe."""
    if len(value) > 400 or not (
        "id" in value or "date" in value or "whoami" in value or "hostname" in value or "uname" in value
    ):
        return None
    if not ("&" in value or "|" in value or ";" in value or "\n" in value or "\r" in value or "%" in value):
        return None
    text = value.strip()
    if "%" in text:
        text = _ENCODED.sub(lambda m: _DECODED[m.group()[1:].lower()], text)
    links = _OPERATOR.split(text)
    if not 2 <= len(links) <= 8 or not (first := _WORD.match(links[0])) or first.group(1) not in FIRST:
        return None
    return (0, len(value)) if any(_probe(link) for link in links[1:]) else None
