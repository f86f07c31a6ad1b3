"""The client registry: create, authenticate by secret, rotate with an overlap window, revoke.

A client secret is 256 random bits, shown once. Only ``HMAC-SHA256(salt, secret)`` is stored (a fast
keyed hash is enough for full-entropy secrets and cannot be reversed, unlike Tyk's reversible key
hashes); comparison is constant-time. Rotation keeps the previous secret valid until ``overlap`` ends.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import replace
from typing import Any

from bastion.clock import Clock
from bastion.oauth.store import AuthStore, ClientRecord, SecretHash
from bastion.tokens.keys import parse_jwks

CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_SECRETS = 2


class ClientError(Exception):
    """A registry operation was refused (unknown client, bad id). The message is safe to print."""


def hash_secret(secret: str, salt: str) -> str:
    return hmac.new(salt.encode(), secret.encode(), hashlib.sha256).hexdigest()


def new_secret_hash(secret: str, expires_at: float | None = None) -> SecretHash:
    salt = secrets.token_hex(16)
    return SecretHash(salt, hash_secret(secret, salt), expires_at)


class ClientRegistry:
    def __init__(self, store: AuthStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def create(self, client_id: str, scopes: set[str], *, claims: dict[str, Any] | None = None,
                     audience: str | None = None, jwks: dict[str, Any] | None = None,
                     name: str = "") -> str | None:
        """Register a client; returns its secret (shown once), or None for a ``private_key_jwt`` client."""
        if not CLIENT_ID.fullmatch(client_id):
            raise ClientError("client id must be 1-64 characters of A-Z a-z 0-9 . _ -")
        if await self.store.get_client(client_id) is not None:
            raise ClientError(f"client {client_id!r} already exists")
        if jwks is not None and not parse_jwks(_json_bytes(jwks)):
            raise ClientError("the client JWKS holds no usable public signing key")
        secret = None if jwks is not None else secrets.token_urlsafe(32)
        hashes = (new_secret_hash(secret),) if secret else ()
        record = ClientRecord(client_id, name or client_id, hashes, jwks, frozenset(scopes), claims or {},
                              audience, False, self.clock.now())
        await self.store.put_client(record)
        return secret

    async def authenticate(self, client_id: str, secret: str) -> ClientRecord | None:
        client = await self.store.get_client(client_id)
        now = self.clock.now()
        ok = False
        for h in client.secrets if client else (SecretHash("0" * 32, "0" * 64),):
            match = hmac.compare_digest(hash_secret(secret, h.salt), h.digest)
            ok |= match and (h.expires_at is None or now < h.expires_at)
        if client is None or client.revoked or not ok:
            return None
        return client

    async def rotate(self, client_id: str, overlap: float) -> str:
        client = await self._get(client_id)
        if client.jwks is not None:
            raise ClientError("private_key_jwt clients rotate by publishing a new key in their JWKS")
        now = self.clock.now()
        kept = [replace(h, expires_at=min(h.expires_at or now + overlap, now + overlap))
                for h in client.secrets if h.expires_at is None or h.expires_at > now]
        secret = secrets.token_urlsafe(32)
        hashes = (*kept[-(MAX_SECRETS - 1):], new_secret_hash(secret))
        await self.store.put_client(replace(client, secrets=hashes))
        return secret

    async def revoke(self, client_id: str) -> None:
        client = await self._get(client_id)
        await self.store.put_client(replace(client, revoked=True))

    async def _get(self, client_id: str) -> ClientRecord:
        client = await self.store.get_client(client_id)
        if client is None:
            raise ClientError(f"no client {client_id!r}")
        return client


def _json_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value).encode()
