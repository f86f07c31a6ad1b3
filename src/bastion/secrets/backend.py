# ruff: noqa: S608  -- table names come from a validated prefix (_PREFIX); values are always bound parameters
"""Persistence of secret versions and rotation policies over a ``SqlDriver`` (SQLite or PostgreSQL).

Two tables, named ``<prefix>versions`` and ``<prefix>policies``; the prefix lets several stores (and
concurrent test runs) share one database. Rows hold ciphertext and wrapped keys only.
"""

from __future__ import annotations

import re
from typing import Any

from bastion.errors import SecretError
from bastion.secrets.model import RotationPolicy, SecretMeta, VersionRow
from bastion.secrets.sql import SqlDriver

_COLUMNS = (
    "name, version, created_at, expires_at, rotated_by, retired_at, master_kid, wrapped_key, ciphertext"
)
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


class SqlSecretBackend:
    def __init__(self, driver: SqlDriver, prefix: str = "bastion_secret_") -> None:
        if not _PREFIX.match(prefix):
            raise SecretError("table prefix must be lower-case letters, digits and underscores")
        self.driver = driver
        self.versions = f"{prefix}versions"
        self.policies = f"{prefix}policies"

    async def setup(self) -> None:
        blob, real = self.driver.blob_type, self.driver.real_type
        await self.driver.execute(
            f"CREATE TABLE IF NOT EXISTS {self.versions} (name TEXT NOT NULL, version INTEGER NOT NULL, "
            f"created_at {real} NOT NULL, expires_at {real}, rotated_by TEXT NOT NULL, retired_at {real}, "
            f"master_kid TEXT NOT NULL, wrapped_key {blob} NOT NULL, ciphertext {blob} NOT NULL, "
            "PRIMARY KEY (name, version))"
        )
        await self.driver.execute(
            f"CREATE TABLE IF NOT EXISTS {self.policies} (name TEXT PRIMARY KEY, max_age {real}, "
            f"warn_window {real}, overlap {real})"
        )

    async def drop(self) -> None:
        await self.driver.execute(f"DROP TABLE IF EXISTS {self.versions}")
        await self.driver.execute(f"DROP TABLE IF EXISTS {self.policies}")

    async def latest_version(self, name: str) -> int:
        rows = await self.driver.fetch(f"SELECT MAX(version) FROM {self.versions} WHERE name = $1", name)
        return int(rows[0][0] or 0) if rows else 0

    async def insert(self, row: VersionRow) -> None:
        await self.driver.execute(
            f"INSERT INTO {self.versions} ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            row.name, row.version, row.created_at, row.expires_at, row.rotated_by, row.retired_at,
            row.master_kid, row.wrapped_key, row.ciphertext,
        )

    async def retire_older(self, name: str, below: int, retire_at: float) -> None:
        """Give every still-open version older than ``below`` an end of life."""
        await self.driver.execute(
            f"UPDATE {self.versions} SET retired_at = $3 WHERE name = $1 AND version < $2 "
            "AND (retired_at IS NULL OR retired_at > $3)",
            name, below, retire_at,
        )

    async def rows(self, name: str | None = None) -> list[VersionRow]:
        if name is None:
            raw = await self.driver.fetch(f"SELECT {_COLUMNS} FROM {self.versions} ORDER BY name, version")
        else:
            raw = await self.driver.fetch(
                f"SELECT {_COLUMNS} FROM {self.versions} WHERE name = $1 ORDER BY version", name
            )
        return [_row(r) for r in raw]

    async def current(self) -> list[SecretMeta]:
        """The newest version of every secret (metadata only)."""
        newest: dict[str, SecretMeta] = {}
        for row in await self.rows():
            newest[row.name] = row.meta()
        return list(newest.values())

    async def rewrap(self, name: str, version: int, master_kid: str, wrapped_key: bytes) -> None:
        await self.driver.execute(
            f"UPDATE {self.versions} SET master_kid = $3, wrapped_key = $4 WHERE name = $1 AND version = $2",
            name, version, master_kid, wrapped_key,
        )

    async def delete(self, name: str) -> int:
        count = len(await self.driver.fetch(f"SELECT version FROM {self.versions} WHERE name = $1", name))
        await self.driver.execute(f"DELETE FROM {self.versions} WHERE name = $1", name)
        await self.driver.execute(f"DELETE FROM {self.policies} WHERE name = $1", name)
        return count

    async def set_policy(self, name: str, policy: RotationPolicy) -> None:
        await self.driver.execute(f"DELETE FROM {self.policies} WHERE name = $1", name)
        await self.driver.execute(
            f"INSERT INTO {self.policies} (name, max_age, warn_window, overlap) VALUES ($1, $2, $3, $4)",
            name, policy.max_age, policy.warn_window, policy.overlap,
        )

    async def policies_by_name(self) -> dict[str, RotationPolicy]:
        raw = await self.driver.fetch(f"SELECT name, max_age, warn_window, overlap FROM {self.policies}")
        return {r[0]: RotationPolicy(r[1], r[2], r[3]) for r in raw}


def _row(r: tuple[Any, ...]) -> VersionRow:
    return VersionRow(
        name=r[0], version=int(r[1]), created_at=float(r[2]),
        expires_at=None if r[3] is None else float(r[3]), rotated_by=r[4],
        retired_at=None if r[5] is None else float(r[5]), master_kid=r[6],
        wrapped_key=bytes(r[7]), ciphertext=bytes(r[8]),
    )
