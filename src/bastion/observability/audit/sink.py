"""The ``AuditSink`` port and ``open_sink(url)``: SQLite (default) or PostgreSQL.

A sink stores whole batches atomically (a batch always ends with its signed checkpoint), reports the
tail of a chain so a restarted writer continues it, and reads records back for verification.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from bastion.errors import ConfigError
from bastion.observability.audit.record import AuditRecord

_TABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$")
COLUMNS = "chain_id, seq, ts, kind, data, prev, hash"


class AuditSink(Protocol):
    description: str
    """Where the records go, without credentials (for status output)."""

    async def open(self) -> None: ...

    async def tail(self, chain_id: str) -> AuditRecord | None:
        """The last stored record of ``chain_id``, or None for a new chain."""
        ...

    async def append(self, records: list[AuditRecord]) -> None:
        """Store ``records`` in one transaction: all of them or none."""
        ...

    async def read_all(self) -> list[AuditRecord]: ...

    async def close(self) -> None: ...


class SqlText:
    """The sinks' SQL for one table. ``table`` is checked against an identifier pattern first, which is
    what makes the f-strings below safe; values always travel as bind parameters."""

    def __init__(self, table: str, ph: list[str], types: tuple[str, str, str]) -> None:
        t = checked_table(table)
        text, integer, real = types
        self.create = (f"CREATE TABLE IF NOT EXISTS {t} (chain_id {text} NOT NULL, seq {integer} NOT NULL, "
                       f"ts {real} NOT NULL, kind {text} NOT NULL, data {text} NOT NULL, prev {text} NOT NULL, "
                       f"hash {text} NOT NULL, PRIMARY KEY (chain_id, seq))")
        self.tail = f"SELECT {COLUMNS} FROM {t} WHERE chain_id = {ph[0]} ORDER BY seq DESC LIMIT 1"  # noqa: S608
        self.insert = f"INSERT INTO {t} ({COLUMNS}) VALUES ({', '.join(ph)})"  # noqa: S608
        self.select_all = f"SELECT {COLUMNS} FROM {t} ORDER BY chain_id, seq"  # noqa: S608


def checked_table(name: str) -> str:
    if not _TABLE.match(name):
        raise ConfigError("audit.table", "table must be an identifier (optionally schema.table)")
    return name


def open_sink(url: str, table: str = "bastion_audit", base_dir: Path | None = None) -> AuditSink:
    """Build the sink for ``sqlite:///PATH``, a bare file path, or ``postgresql://…``."""
    checked_table(table)
    if url.startswith(("postgresql://", "postgres://")):
        from bastion.observability.audit.postgres import PostgresAuditSink

        return PostgresAuditSink(url, table)
    # SQLAlchemy's convention: sqlite:///relative.db, sqlite:////absolute/path.db
    path_text = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    if "://" in path_text or not path_text:
        raise ConfigError("audit.sink", "expected sqlite:///PATH or postgresql://…")
    path = Path(path_text)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    from bastion.observability.audit.sqlite import SqliteAuditSink

    return SqliteAuditSink(path, table)


def redact_dsn(url: str) -> str:
    """``postgresql://user:secret@host/db`` → ``postgresql://user:***@host/db``."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
