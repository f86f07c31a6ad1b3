"""Path normalisation, applied once before routing and policies.

The normalised path is what routing, every policy and the upstream see, so a check on ``/admin``
cannot be bypassed with ``/x/../admin``, ``/%61dmin``, ``//admin`` or ``/admin%2f..``.

Rules (RFC 3986 §6.2.2 plus gateway hardening):
- percent-decoding of unreserved characters; ``%2F``/``%5C`` (encoded slash/backslash) and ``%00``
  are refused, as are raw backslashes and control characters;
- ``.`` and ``..`` segments are resolved; a ``..`` that would climb above the root is refused;
- runs of slashes collapse to one.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

_UNSAFE_ENCODED = re.compile(r"%(2[fF]|5[cC]|00)")
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\\]")
_BAD_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class PathError(ValueError):
    """The path cannot be normalised safely; the request gets a 400."""


def normalize_path(raw: str) -> str:
    """Return the canonical decoded path, or raise PathError."""
    if not raw.startswith("/"):
        raise PathError("path must start with '/'")
    if _BAD_PCT.search(raw):
        raise PathError("malformed percent-encoding")
    if _UNSAFE_ENCODED.search(raw):
        raise PathError("encoded slash, backslash or NUL in path")
    if "%" in raw:
        # double-encoding (%252e) is decoded once only: the result must contain no further escapes
        try:
            decoded = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            raise PathError("percent-encoding is not valid UTF-8") from None
        if "%" in decoded and re.search(r"%[0-9A-Fa-f]{2}", decoded):
            raise PathError("double percent-encoding in path")
    else:
        decoded = raw
    if _BAD_CHARS.search(decoded):
        raise PathError("control character or backslash in path")
    out: list[str] = []
    for seg in decoded.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if not out:
                raise PathError("path escapes the root")
            out.pop()
            continue
        out.append(seg)
    path = "/" + "/".join(out)
    if decoded.endswith("/") and out:
        path += "/"
    return path


_SAFE = re.compile(r"^[A-Za-z0-9/:@!$&'()*+,;=._~-]*$")


def encode_path(path: str) -> str:
    """Re-encode a normalised path for forwarding upstream (one canonical form)."""
    if _SAFE.match(path):
        return path
    from urllib.parse import quote

    return quote(path, safe="/:@!$&'()*+,;=-._~")
