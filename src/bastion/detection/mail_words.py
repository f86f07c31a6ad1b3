"""An e-mail address split by an RFC 2047 encoded word (``=?utf-8?q?me=40evil.example=3e=00?=x@shop.example``).

A mailer that decodes encoded words in the local part of an address before it writes the SMTP envelope turns
``=40`` into ``@``, ``=3e`` into ``>`` and ``=00`` into a NUL, so the verification mail of a sign-up goes to the
attacker's own address (``RCPT TO:<me@evil.example>``) while the application checked ``…@shop.example``. Only an
encoded word whose decoded text holds an address or envelope character (``@ < > "`` , NUL, CR, LF) counts, in a
value that is an address (the word is followed, without a blank, by the rest of a local part and
``@domain``): a display name written as an encoded word
(``=?utf-8?q?Caf=C3=A9?= <cafe@example.com>``) decodes to plain text.
"""

from __future__ import annotations

import base64
import binascii
import re

_WORD = re.compile(r"=\?[^?\s]{1,40}\?([qb])\?([^?\s]{0,400})\?=", re.I)
_ENVELOPE = frozenset("@<>\"\x00\r\n")
_ADDRESS_GOES_ON = re.compile(r"\"?[\w.+-]{0,64}@[\w-]")


def trigger() -> bytes:
    """The prefilter pattern: the start of a Q or B encoded word."""
    return rb"=\?[^?\x00\s]{1,40}\?[qb]\?"


def _decoded(kind: str, text: str) -> str:
    if kind.lower() == "q":
        return re.sub(r"=([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), text.replace("_", " "), flags=re.I)
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4)).decode("latin-1")
    except (binascii.Error, ValueError):
        return ""


def split_address(value: str) -> tuple[int, int] | None:
    """The span of an encoded word that decodes to an address or envelope character inside an address."""
    if "=?" not in value or "@" not in value:
        return None
    for m in _WORD.finditer(value):
        if _ADDRESS_GOES_ON.match(value, m.end()) and _ENVELOPE.intersection(_decoded(m.group(1), m.group(2))):
            return m.start(), m.end()
    return None
