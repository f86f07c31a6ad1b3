"""SQL drivers for the secret store: SQLite (default, one machine) and PostgreSQL (several instances).

Queries are written once with ``$1``-style placeholders (asyncpg's) and SQLite runs them as ``?1``
(numbered parameters, also native). Each driver supplies its column types for the DDL.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any, Protocol

from bastion.errors import SecretError

_PLACEHOLDER = re.compile(r"\$(\d+)")


class SqlDriver(Protocol):
    blob_type: str
    real_type: str

    async def execute(self, sql: str, *args: Any) -> None: ...

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]: ...

    async def close(self) -> None: ...


class DuplicateRow(SecretError):
    """An insert hit the primary key (a concurrent writer took the version number)."""


class SqliteDriver:
    """sqlite3 in autocommit mode; statements are short, so they run inline on the event loop."""

    blob_type = "BLOB"
    real_type = "REAL"

    def __init__(self, path: str | Path) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5.0)
        self._db.execute("PRAGMA journal_mode=WAL")

    async def execute(self, sql: str, *args: Any) -> None:
        try:
            self._db.execute(_PLACEHOLDER.sub(r"?\1", sql), args)
        except sqlite3.IntegrityError:
            raise DuplicateRow("row already exists") from None

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._db.execute(_PLACEHOLDER.sub(r"?\1", sql), args).fetchall()]

    async def close(self) -> None:
        self._db.close()


class PostgresDriver:
    """An asyncpg connection pool, created lazily on first use."""

    blob_type = "BYTEA"
    real_type = "DOUBLE PRECISION"

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._pool: Any = None

    async def _get_pool(self) -> Any:
        if self._pool is None:
            import asyncpg

            try:
                self._pool = await asyncpg.create_pool(self._dsn, min_size=1, max_size=4, timeout=5.0)
            except (OSError, asyncpg.PostgresError) as exc:
                reason = type(exc).__name__
                raise SecretError(f"cannot connect to the secret store database ({reason})") from None
        return self._pool

    async def execute(self, sql: str, *args: Any) -> None:
        import asyncpg

        pool = await self._get_pool()
        try:
            await pool.execute(sql, *args)
        except asyncpg.UniqueViolationError:
            raise DuplicateRow("row already exists") from None

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        pool = await self._get_pool()
        return [tuple(r) for r in await pool.fetch(sql, *args)]

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


def open_driver(url: str, base_dir: Path | None = None) -> SqlDriver:
    """``sqlite:///abs/path.db``, ``sqlite:relative.db``, ``sqlite://:memory:`` or ``postgresql://…``."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDriver(url)
    if url.startswith("sqlite:"):
        rest = url[len("sqlite:"):]
        rest = rest[2:] if rest.startswith("//") else rest
        if rest == ":memory:":
            return SqliteDriver(":memory:")
        path = Path(rest)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        return SqliteDriver(path)
    raise SecretError("secret store url must start with sqlite: or postgresql://")
