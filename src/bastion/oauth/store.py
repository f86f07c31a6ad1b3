# ruff: noqa: S608  -- only the table prefix is interpolated, and it is checked against _PREFIX
"""Persistence of the authorization server: clients and signing keys, in SQLite or PostgreSQL.

Uses the shared SQL drivers of ``bastion.secrets.sql`` (``$n`` placeholders). Rows hold only hashed
client secrets and AES-256-GCM-encrypted signing private keys; a table prefix keeps deployments (and
concurrent tests) apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.secrets.sql import SqlDriver, open_driver

_PREFIX = re.compile(r"[a-z][a-z0-9_]{0,40}")


@dataclass(frozen=True, slots=True)
class SecretHash:
    salt: str
    digest: str
    expires_at: float | None = None


@dataclass(frozen=True, slots=True)
class ClientRecord:
    client_id: str
    name: str
    secrets: tuple[SecretHash, ...]
    jwks: dict[str, Any] | None
    scopes: frozenset[str]
    claims: dict[str, Any] = field(default_factory=dict)
    audience: str | None = None
    revoked: bool = False
    created_at: float = 0.0

    def __repr__(self) -> str:
        return f"ClientRecord(client_id={self.client_id!r}, revoked={self.revoked})"


@dataclass(frozen=True, slots=True)
class KeyRecord:
    kid: str
    alg: str
    public_jwk: dict[str, Any]
    private_blob: bytes
    created_at: float
    retired_at: float | None = None
    remove_after: float | None = None

    def __repr__(self) -> str:
        return f"KeyRecord(kid={self.kid!r}, alg={self.alg!r}, retired_at={self.retired_at!r})"


class AuthStore:
    def __init__(self, driver: SqlDriver, prefix: str = "bastion_auth_") -> None:
        if not _PREFIX.fullmatch(prefix):
            raise ValueError("table prefix must match [a-z][a-z0-9_]{0,40}")
        self.db = driver
        self.p = prefix
        self._ready = False

    @classmethod
    def open(cls, url: str, prefix: str = "bastion_auth_", base_dir: Path | None = None) -> AuthStore:
        return cls(open_driver(url, base_dir), prefix)

    async def init(self) -> None:
        if self._ready:
            return
        real, blob, p = self.db.real_type, self.db.blob_type, self.p
        await self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {p}clients (client_id TEXT PRIMARY KEY, name TEXT NOT NULL,"
            f" secrets TEXT NOT NULL, jwks TEXT, scopes TEXT NOT NULL, claims TEXT NOT NULL, audience TEXT,"
            f" revoked INTEGER NOT NULL, created_at {real} NOT NULL)")
        await self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {p}signing_keys (kid TEXT PRIMARY KEY, alg TEXT NOT NULL,"
            f" public_jwk TEXT NOT NULL, private_blob {blob} NOT NULL, created_at {real} NOT NULL,"
            f" retired_at {real}, remove_after {real})")
        self._ready = True

    async def drop(self) -> None:
        for table in ("clients", "signing_keys"):
            await self.db.execute(f"DROP TABLE IF EXISTS {self.p}{table}")

    async def close(self) -> None:
        await self.db.close()

    # clients
    async def put_client(self, c: ClientRecord) -> None:
        await self.init()
        secrets = json.dumps([[s.salt, s.digest, s.expires_at] for s in c.secrets])
        await self.db.execute(f"DELETE FROM {self.p}clients WHERE client_id = $1", c.client_id)
        await self.db.execute(
            f"INSERT INTO {self.p}clients VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            c.client_id, c.name, secrets, json.dumps(c.jwks) if c.jwks else None, " ".join(sorted(c.scopes)),
            json.dumps(c.claims), c.audience, int(c.revoked), c.created_at)

    async def get_client(self, client_id: str) -> ClientRecord | None:
        await self.init()
        rows = await self.db.fetch(f"SELECT * FROM {self.p}clients WHERE client_id = $1", client_id)
        return _client(rows[0]) if rows else None

    async def list_clients(self) -> list[ClientRecord]:
        await self.init()
        return [_client(r) for r in await self.db.fetch(f"SELECT * FROM {self.p}clients ORDER BY client_id")]

    # signing keys
    async def put_key(self, k: KeyRecord) -> None:
        await self.init()
        await self.db.execute(
            f"INSERT INTO {self.p}signing_keys VALUES ($1, $2, $3, $4, $5, $6, $7)",
            k.kid, k.alg, json.dumps(k.public_jwk), k.private_blob, k.created_at, k.retired_at,
            k.remove_after)

    async def retire_key(self, kid: str, retired_at: float, remove_after: float) -> None:
        await self.init()
        await self.db.execute(
            f"UPDATE {self.p}signing_keys SET retired_at = $2, remove_after = $3 WHERE kid = $1",
            kid, retired_at, remove_after)

    async def list_keys(self) -> list[KeyRecord]:
        await self.init()
        rows = await self.db.fetch(f"SELECT * FROM {self.p}signing_keys ORDER BY created_at")
        return [KeyRecord(r[0], r[1], json.loads(r[2]), bytes(r[3]), r[4], r[5], r[6]) for r in rows]


def _client(r: tuple[Any, ...]) -> ClientRecord:
    secrets = tuple(SecretHash(s[0], s[1], s[2]) for s in json.loads(r[2]))
    return ClientRecord(r[0], r[1], secrets, json.loads(r[3]) if r[3] else None, frozenset(r[4].split()),
                        json.loads(r[5]), r[6], bool(r[7]), r[8])
