# ruff: noqa: S608  -- only the table prefix is interpolated, and AuthStore validates it
"""API-key records in the authorization server's database (SQLite or PostgreSQL) and their verification.

Only ``HMAC-SHA256(server secret, key)`` is stored: a database leak reveals no usable key, and without
the server secret the digests cannot even be brute-forced offline. Verification is constant-time. A
gateway caches a looked-up record for ``cache_seconds`` (default 1 s), which bounds how late a revocation
made on another instance takes effect.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace
from typing import Any

from bastion.apikeys.format import generate, parse
from bastion.clock import Clock
from bastion.oauth.store import AuthStore
from bastion.tokens.cache import TtlMemo


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    key_id: str
    digest: str
    owner: str
    scopes: frozenset[str]
    created_at: float
    expires_at: float | None = None
    revoked: bool = False

    def __repr__(self) -> str:
        return f"ApiKeyRecord(key_id={self.key_id!r}, owner={self.owner!r}, revoked={self.revoked})"


class ApiKeyStore:
    def __init__(self, store: AuthStore, server_secret: bytes, clock: Clock, prefix: str = "bst",
                 cache_seconds: float = 1.0) -> None:
        if len(server_secret) < 32:
            raise ValueError("the API-key server secret must be at least 32 bytes")
        self.db = store.db
        self.table = f"{store.p}api_keys"
        self._secret = server_secret
        self.clock = clock
        self.prefix = prefix
        self._cache: TtlMemo[ApiKeyRecord | None] = TtlMemo(cache_seconds)
        self._ready = False

    def digest(self, key: str) -> str:
        return hmac.new(self._secret, key.encode("ascii"), hashlib.sha256).hexdigest()

    async def init(self) -> None:
        if not self._ready:
            real = self.db.real_type
            await self.db.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} (key_id TEXT PRIMARY KEY, digest TEXT NOT NULL,"
                f" owner TEXT NOT NULL, scopes TEXT NOT NULL, created_at {real} NOT NULL, expires_at {real},"
                " revoked INTEGER NOT NULL)")
            self._ready = True

    async def create(self, owner: str, scopes: set[str], expires_at: float | None = None) -> tuple[str, str]:
        """Returns ``(key, key_id)``; the key is shown once and only its HMAC is stored."""
        await self.init()
        key, key_id = generate(self.prefix)
        await self._put(ApiKeyRecord(key_id, self.digest(key), owner, frozenset(scopes), self.clock.now(),
                                     expires_at))
        return key, key_id

    async def rotate(self, key_id: str, overlap: float) -> tuple[str, str]:
        """A new key with the same owner and scopes; the old one keeps working for ``overlap`` seconds."""
        old = await self.get(key_id)
        if old is None or old.revoked:
            raise KeyError(key_id)
        end = self.clock.now() + overlap
        await self._put(replace(old, expires_at=min(old.expires_at or end, end)))
        return await self.create(old.owner, set(old.scopes), old.expires_at)

    async def revoke(self, key_id: str) -> bool:
        record = await self.get(key_id)
        if record is None:
            return False
        await self._put(replace(record, revoked=True))
        return True

    async def list(self) -> list[ApiKeyRecord]:
        await self.init()
        return [_record(r) for r in await self.db.fetch(f"SELECT * FROM {self.table} ORDER BY created_at")]

    async def get(self, key_id: str) -> ApiKeyRecord | None:
        await self.init()
        rows = await self.db.fetch(f"SELECT * FROM {self.table} WHERE key_id = $1", key_id)
        return _record(rows[0]) if rows else None

    async def verify(self, key: str) -> ApiKeyRecord | None:
        """The record of a valid, unexpired, unrevoked key, else None. Constant-time digest comparison."""
        parsed = parse(key, self.prefix)
        if parsed is None:
            return None
        now = self.clock.monotonic()
        fresh, record = self._cache.get(parsed.key_id, now)
        if not fresh:
            record = await self.get(parsed.key_id)
            self._cache.put(parsed.key_id, now, record)
        expected = record.digest if record else "0" * 64
        if not hmac.compare_digest(self.digest(key), expected) or record is None or record.revoked:
            return None
        if record.expires_at is not None and self.clock.now() >= record.expires_at:
            return None
        return record

    async def _put(self, r: ApiKeyRecord) -> None:
        await self.init()
        await self.db.execute(f"DELETE FROM {self.table} WHERE key_id = $1", r.key_id)
        await self.db.execute(f"INSERT INTO {self.table} VALUES ($1, $2, $3, $4, $5, $6, $7)", r.key_id,
                              r.digest, r.owner, " ".join(sorted(r.scopes)), r.created_at, r.expires_at,
                              int(r.revoked))
        self._cache.forget(r.key_id)


def _record(r: tuple[Any, ...]) -> ApiKeyRecord:
    return ApiKeyRecord(str(r[0]), str(r[1]), str(r[2]), frozenset(str(r[3]).split()), float(r[4]),
                        None if r[5] is None else float(r[5]), bool(r[6]))
