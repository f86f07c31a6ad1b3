"""HS256 session tokens for the sample API.

The vulnerable twin signs with a dictionary word, accepts ``alg: none`` and stripped signatures and
never checks ``exp`` or ``aud``. The secure twin signs with a random 256-bit key and checks all of it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from typing import Any

import orjson

WEAK_SECRET = "secret123"  # noqa: S105 - planted: a dictionary word as the HS256 key
AUDIENCE = "vulnapi"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    def __init__(self, *, secure: bool, ttl: int = 3600) -> None:
        self.secure = secure
        self.key = secrets.token_bytes(32) if secure else WEAK_SECRET.encode()
        self.ttl = ttl

    def issue(self, user: dict[str, Any]) -> str:
        now = int(time.time())
        claims = {"sub": str(user["id"]), "name": user["username"], "role": user["role"],
                  "aud": AUDIENCE, "iat": now, "exp": now + self.ttl}
        head = b64url(orjson.dumps({"alg": "HS256", "typ": "JWT"}))
        body = b64url(orjson.dumps(claims))
        sig = hmac.new(self.key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{b64url(sig)}"

    def verify(self, token: str) -> dict[str, Any] | None:
        """The claims of a valid token, or None."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        try:
            header = orjson.loads(b64url_decode(parts[0]))
            claims = orjson.loads(b64url_decode(parts[1]))
        except (ValueError, orjson.JSONDecodeError):
            return None
        if not isinstance(header, dict) or not isinstance(claims, dict):
            return None
        if self.secure:
            return claims if self._valid_secure(header, claims, parts) else None
        if str(header.get("alg", "")).lower() == "none" or parts[2] == "":
            return claims
        expected = hmac.new(self.key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
        return claims if hmac.compare_digest(b64url(expected), parts[2]) else None

    def _valid_secure(self, header: dict[str, Any], claims: dict[str, Any], parts: list[str]) -> bool:
        if header.get("alg") != "HS256":
            return False
        expected = hmac.new(self.key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(b64url(expected), parts[2]):
            return False
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp < time.time():
            return False
        return claims.get("aud") == AUDIENCE
