"""BASTION-HMAC-SHA256: a generic request-signing scheme for partners that authenticate by HMAC.

The string to sign is five lines joined by ``\\n``::

    BASTION-HMAC-SHA256
    <timestamp: Unix seconds, decimal>
    <METHOD, upper case>
    <request target as sent: path plus ``?query`` when present>
    <lower-case hex SHA-256 of the body bytes (of b"" when there is none)>

``signature = base64(HMAC-SHA256(key, string_to_sign))``. The request carries::

    x-bastion-date: <timestamp>
    x-bastion-content-sha256: <hex body hash>
    authorization: BASTION-HMAC-SHA256 keyId="<key id>", signature="<signature>"

A verifier recomputes the body hash from the bytes it received, rejects timestamps more than
``max_skew`` seconds away from its clock (replay window), looks the key up by ``keyId`` and compares
signatures in constant time. ``verify`` below is that verifier (partners and tests can use it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping

SCHEME = "BASTION-HMAC-SHA256"
DATE_HEADER = "x-bastion-date"
HASH_HEADER = "x-bastion-content-sha256"
_AUTH = re.compile(rf'^{SCHEME} keyId="([^"]+)", signature="([A-Za-z0-9+/=]+)"$')


def string_to_sign(timestamp: int, method: str, target: str, body: bytes) -> tuple[str, str]:
    """Return ``(string_to_sign, body_hash)``."""
    body_hash = hashlib.sha256(body).hexdigest()
    return "\n".join((SCHEME, str(timestamp), method.upper(), target, body_hash)), body_hash


def sign(key: bytes, key_id: str, timestamp: int, method: str, target: str, body: bytes) -> list[tuple[str, str]]:
    """The three headers that authenticate this request."""
    text, body_hash = string_to_sign(timestamp, method, target, body)
    signature = base64.b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode()
    return [
        (DATE_HEADER, str(timestamp)),
        (HASH_HEADER, body_hash),
        ("authorization", f'{SCHEME} keyId="{key_id}", signature="{signature}"'),
    ]


def verify(
    headers: Mapping[str, str],
    method: str,
    target: str,
    body: bytes,
    key_for: Callable[[str], bytes | None],
    now: float,
    max_skew: float = 300.0,
) -> str | None:
    """Check a signed request; return the ``keyId`` when valid, else ``None``. ``headers`` lower-case."""
    m = _AUTH.match(headers.get("authorization", ""))
    stamp = headers.get(DATE_HEADER, "")
    if m is None or not stamp.isdigit() or abs(now - int(stamp)) > max_skew:
        return None
    key = key_for(m.group(1))
    if key is None:
        return None
    text, body_hash = string_to_sign(int(stamp), method, target, body)
    if not hmac.compare_digest(headers.get(HASH_HEADER, ""), body_hash):
        return None
    expected = base64.b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode()
    return m.group(1) if hmac.compare_digest(expected, m.group(2)) else None
