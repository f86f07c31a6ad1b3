"""Mail-protocol commands injected after a line break (SMTP, POP3, IMAP), beside the ones ``signatures._CRLF_HEADER``
knows (``RCPT TO:``, ``MAIL FROM:``, ``QUIT``, ``DATA``, ``HELO``, a capital IMAP tag and verb).

A value that an application writes into a mail session (a recipient, a mailbox name, a subject it sends with a raw
``HELO``/``USER`` dialogue) ends the command at the injected line break and adds the next one. What gives the line
away is the grammar of the command after the break, checked word by word:

- SMTP ``HELP``/``VRFY``/``EXPN``/``NOOP``/``AUTH``/``STARTTLS``/``TURN``/``ETRN`` in capitals (``\\r\\nHELP``,
  ``\\r\\nVRFY root``); a line "Help wanted" is not in capitals;
- POP3 ``USER``/``PASS``/``APOP`` (a 32-hex digest), ``RETR``/``DELE``/``LIST``/``UIDL`` and a message number,
  ``TOP`` and two numbers, ``STAT``/``CAPA``/``STLS`` alone on the line: in capitals, or in lower case right after a
  CR LF with nothing else on the line (``\\r\\nlist 3``);
- IMAP: a tag with a digit (``a001``, ``A1``) and a command with its arguments (``a001 STATUS INBOX (MESSAGES)``,
  ``A1 list "INBOX/" "*"``, ``a001 uid store 231:233``), or any tag with ``STORE`` of a message set and
  ``FLAGS``. "a list of things" has no digit in its first word.

The line must be the whole line: a sentence that starts with one of the words goes on with prose.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_END = r"[ \t]*(?=\r|\n|$)"
_SMTP = r"(?-i:(?:HELP|VRFY|EXPN|NOOP|TURN|ETRN|STARTTLS|AUTH)(?:[ \t]+[^\s]{1,64}){0,2})"
_POP3 = (
    r"(?-i:(?:USER|PASS)[ \t]+\S{1,64}|APOP[ \t]+\S{1,64}[ \t]+[0-9a-f]{32}|(?:STAT|CAPA|STLS|UIDL|LIST)"
    r"|(?:RETR|DELE|LIST|UIDL)[ \t]+\d{1,9}|TOP[ \t]+\d{1,9}[ \t]+\d{1,9})"
)
_POP3_LOWER = r"(?:retr|dele|list|uidl)[ \t]+\d{1,9}|top[ \t]+\d{1,9}[ \t]+\d{1,9}|stat|capa|stls"
_IMAP_ARG = r"""(?:"[^"\r\n]{0,80}"|\([^()\r\n]{0,120}\)|\{\d{1,9}\}|[^\s"(){}]{1,64})"""
_IMAP_VERB = (
    r"(?:login|authenticate|select|examine|status|list|lsub|fetch|store|copy|move|search|create|delete|rename"
    r"|subscribe|unsubscribe|append|expunge|close|check|capability|logout|noop|starttls|idle|getquota(?:root)?"
    r"|setacl|getacl|namespace)"
)
_IMAP = (
    rf"(?:[a-z]{{1,4}}\d{{1,6}}[a-z]{{0,2}})[ \t]+(?:uid[ \t]+)?{_IMAP_VERB}(?:[ \t]+{_IMAP_ARG}){{0,12}}"
    rf"|[a-z]{{1,8}}\d{{0,6}}[ \t]+(?:uid[ \t]+)?store[ \t]+[\d:,*]{{1,40}}[ \t]+[+-]?flags(?:\.silent)?\b"
    r"[^\r\n]{0,120}"
)
_MAIL_LINE = re.compile(
    rf"(?<![\r\n])[\r\n]+[ \t]*(?:{_SMTP}|{_POP3}|{_IMAP}){_END}|(?<![\r\n])\r\n(?:{_POP3_LOWER}){_END}",
    re.I,
)


def mail_command(value: str) -> Span | None:
    """The span of a mail-protocol command line after a line break (see the module docstring), if any."""
    if "\n" not in value and "\r" not in value:
        return None
    m = _MAIL_LINE.search(value)
    return (m.start(), m.end()) if m else None
