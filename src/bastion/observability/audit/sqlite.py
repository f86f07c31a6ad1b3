"""SQLite audit sink (the default): one file, WAL mode, one transaction per batch.

sqlite3 is blocking, so every call runs in a worker thread; one connection, serialised by a lock.
``synchronous=FULL`` makes each committed batch survive a crash of the process or the machine.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from bastion.observability.audit.record import AuditRecord
from bastion.observability.audit.sink import SqlText, checked_table
from bastion.state.sqlite_wal import connect_wal


class SqliteAuditSink:
    def __init__(self, path: Path, table: str = "bastion_audit") -> None:
        self.path = path
        self.table = checked_table(table).replace(".", "_")
        self.description = f"sqlite:///{path}"
        self.sql = SqlText(self.table, ["?"] * 7, ("TEXT", "INTEGER", "REAL"))
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect_wal(self.path, timeout=5.0, check_same_thread=False)
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(self.sql.create)
            self._conn = conn
        return self._conn

    # -- synchronous core (also used by the CLI verifier) --

    def open_sync(self) -> None:
        with self._lock:
            self._connect()

    def tail_sync(self, chain_id: str) -> AuditRecord | None:
        with self._lock:
            row = self._connect().execute(self.sql.tail, (chain_id,)).fetchone()
        return AuditRecord(*row) if row else None

    def append_sync(self, records: list[AuditRecord]) -> None:
        with self._lock:
            conn = self._connect()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(self.sql.insert, [r.as_row() for r in records])
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def read_all_sync(self) -> list[AuditRecord]:
        with self._lock:
            rows = self._connect().execute(self.sql.select_all).fetchall()
        return [AuditRecord(*row) for row in rows]

    def close_sync(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- the async AuditSink port --

    async def open(self) -> None:
        await asyncio.to_thread(self.open_sync)

    async def tail(self, chain_id: str) -> AuditRecord | None:
        return await asyncio.to_thread(self.tail_sync, chain_id)

    async def append(self, records: list[AuditRecord]) -> None:
        await asyncio.to_thread(self.append_sync, records)

    async def read_all(self) -> list[AuditRecord]:
        return await asyncio.to_thread(self.read_all_sync)

    async def close(self) -> None:
        await asyncio.to_thread(self.close_sync)
