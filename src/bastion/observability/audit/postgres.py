"""PostgreSQL audit sink (several instances, one chain each) on asyncpg.

Each batch is one transaction. ``data`` is ``text``, not ``jsonb``: the verifier needs the exact bytes
that were hashed. The primary key ``(chain_id, seq)`` refuses a second writer on the same chain.
"""

from __future__ import annotations

from typing import Any

from bastion.observability.audit.record import AuditRecord
from bastion.observability.audit.sink import SqlText, checked_table, redact_dsn


class PostgresAuditSink:
    def __init__(self, dsn: str, table: str = "bastion_audit") -> None:
        self._dsn = dsn
        self.table = checked_table(table)
        self.description = redact_dsn(dsn)
        self._pool: Any = None
        self.sql = SqlText(self.table, [f"${i}" for i in range(1, 8)], ("text", "bigint", "double precision"))

    def __repr__(self) -> str:
        return f"PostgresAuditSink({self.description!r}, table={self.table!r})"

    async def open(self) -> None:
        if self._pool is not None:
            return
        import asyncpg

        self._pool = await asyncpg.create_pool(self._dsn, min_size=1, max_size=2, timeout=5.0)
        async with self._pool.acquire() as conn:
            if "." in self.table:
                await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {self.table.split('.')[0]}")
            await conn.execute(self.sql.create)

    async def tail(self, chain_id: str) -> AuditRecord | None:
        await self.open()
        async with self._pool.acquire() as conn:
            row = await conn.fetchrow(self.sql.tail, chain_id)
        return AuditRecord(*row) if row else None

    async def append(self, records: list[AuditRecord]) -> None:
        await self.open()
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.executemany(self.sql.insert, [r.as_row() for r in records])

    async def read_all(self) -> list[AuditRecord]:
        await self.open()
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(self.sql.select_all)
        return [AuditRecord(*row) for row in rows]

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
