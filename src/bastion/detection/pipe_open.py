"""A command line that ends in a pipe: Perl's two-argument ``open`` runs it (``cp a b|``).

Perl's ``open(FH, $name)`` with two arguments reads ``$name`` as a mode and a file together: a name that ends in
``|`` is a command whose output is read, so a CGI script that opens a file name taken from the query runs it (the
Clickheat ``parseClickLogs.pl`` exploit: ``?cp ../config/config.php conf.txt|+two``, the ``+`` separating CGI
arguments; fresh46). Ruby's ``open`` and ``Kernel#open`` do the same with a leading ``|``, which ``shell`` already
reads. The value as a whole must be a tool with arguments and the final pipe, nothing after it but CGI ``+``
arguments or blanks, no other separator and no function word (*the*, *is* …): a pipeline in documentation continues
after its pipe, a Markdown table row opens with one, and a sentence about the pipe character reads as one.
"""

from __future__ import annotations

import re

from bastion.detection.commands import PROSE_WORDS

_TOOLS = (r"cp|mv|cat|ls|rm|echo|id|wget|curl|nc|ncat|netcat|bash|sh|zsh|perl|python[23]?|ruby|php|ping|touch|chmod"
          r"|chown|mkdir|uname|whoami|tar|gzip|find|grep|head|tail|nslookup|telnet|sleep|env|printenv|dig|host")
_PIPE_OPEN = re.compile(
    r"\s*(?:/usr)?(?:/s?bin/)?(?:" + _TOOLS + r")(?:\s+[^\s|;&`<>()$]{1,200}){1,12}\s*\|(?:\+[^\s|;&`<>]{0,100})*\s*")


def pipe_open(value: str) -> tuple[int, int] | None:
    """The span of a whole value that is a command line ending in ``|``, or ``None``."""
    if len(value) > 1200 or value.count("|") != 1:
        return None
    if not _PIPE_OPEN.fullmatch(value) or PROSE_WORDS.intersection(value.lower().split()):
        return None  # "echo the pipe character is |": a sentence
    return 0, len(value)
