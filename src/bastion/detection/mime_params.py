"""The quoted ``boundary`` parameter of a multipart media type: data, not a string the value breaks out of.

A ``Content-Type`` header of a recorded message, a stored e-mail's headers or an upload's own description reads
``multipart/mixed; boundary="----=_NextPart_000_0010_01D1FC96.14E54A00"``. RFC 2046 boundaries are written with
leading dashes (``--=_HsWzsKVZkho``, ``----=Part.335.4745``), so the quote that opens the parameter is followed by
``--``, which the SQL breakout reading takes for a quote closed and a comment that cuts the query off (fresh41). The
parameter is the quote right after ``boundary=`` in a ``multipart/<subtype>;`` header value, closed by the same quote
around boundary characters only (RFC 2046 ``bchars``: letters, digits and ``()+_,-./:=?``, a space not last; the
``'`` that RFC also allows is left out, so a single-quoted parameter cannot hide a second quote), with
nothing after it but more ``; name=value`` parameters. A value that goes on past the closing quote in anything else
(``boundary="--x" or 1=1 --``) is not this shape and is judged as before.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(
    r"multipart/[\w.+-]{1,40}\s*;(?:\s*[\w.-]{1,40}=(?:\"[^\"]{0,200}\"|[^\s;\"]{0,200})\s*;)*\s*boundary\s*=\s*"
    r"(?P<q>[\"'])[\w()+,./:=? -]{0,69}[\w()+,./:=?-](?P=q)"
    r"(?:\s*;\s*[\w.-]{1,40}=(?:\"[^\"]{0,200}\"|[^\s;\"]{0,200}))*\s*;?\s*$",
    re.I,
)
"""Bounded runs everywhere: each piece is tried at most a few hundred characters, so the match stays linear."""


def boundary_quote(value: str, idx: int) -> bool:
    """The quote at ``idx`` opens the ``boundary`` parameter of a ``multipart/…`` header value (see above)."""
    if "boundary" not in value[:idx].lower():
        return False
    start = value.lower().rfind("multipart/", 0, idx)
    if start < 0:
        return False
    m = _BOUNDARY.match(value, start)
    return m is not None and m.start("q") == idx
