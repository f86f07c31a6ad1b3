"""SQL drivers for the secret store: SQLite (default, one machine) and PostgreSQL (several instances).

Queries are written once with ``$1``-style placeholders (asyncpg's) and SQLite runs them as ``?1``
(numbered parameters, also native). Each driver supplies its column types for the DDL.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

from bastion.errors import SecretError
from bastion.state.sqlite_wal import connect_wal

_PLACEHOLDER = re.compile(r"\$(\d+)")
_T = TypeVar("_T")


class SqlDriver(Protocol):
    blob_type: str
    real_type: str

    async def execute(self, sql: str, *args: Any) -> None: ...

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]: ...

    async def close(self) -> None: ...


class DuplicateRow(SecretError):
    """An insert hit the primary key (a concurrent writer took the version number)."""


class SqliteDriver:
    """sqlite3 in autocommit mode, on one dedicated worker thread that owns the connection.

    The event loop only awaits: every statement (and the connect, which may create the file and switch
    the journal to WAL) runs on the driver's single thread, so a slow disk or a lock held by another
    process (``timeout`` 5 s) never stalls the loop. One thread keeps sqlite's rule that a connection
    is used by the thread that made it, and keeps statements in submission order. The driver may be
    used from several event loops in turn (``secret_lookup`` runs its own on a short-lived thread).
    """

    blob_type = "BLOB"
    real_type = "REAL"

    def __init__(self, path: str | Path) -> None:
        self._path = str(path)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-secrets-sqlite")
        self._db: sqlite3.Connection | None = None
        self._closed = False
        self._open_error = ""
        self._worker.submit(self._connect)  # first in the worker's queue, so every statement runs after it

    def _connect(self) -> None:
        try:
            if self._path != ":memory:":
                Path(self._path).parent.mkdir(parents=True, exist_ok=True)
            db = connect_wal(self._path, timeout=5.0)
        except (OSError, sqlite3.Error) as exc:
            self._open_error = type(exc).__name__
            return
        self._db, self._open_error = db, ""

    def _conn(self) -> sqlite3.Connection:
        if self._db is None and not self._closed and self._open_error:
            self._connect()  # the last open failed (a lock, a full disk): try again rather than fail forever
        if self._db is None:
            reason = self._open_error or "closed"
            raise SecretError(f"cannot use the secret store database ({reason})")
        return self._db

    async def _run(self, job: Callable[[], _T]) -> _T:
        if self._closed:
            raise SecretError("cannot use the secret store database (closed)")
        return await asyncio.get_running_loop().run_in_executor(self._worker, job)

    def _execute(self, sql: str, args: tuple[Any, ...]) -> None:
        try:
            self._conn().execute(_PLACEHOLDER.sub(r"?\1", sql), args)
        except sqlite3.IntegrityError:
            raise DuplicateRow("row already exists") from None

    def _fetch(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._conn().execute(_PLACEHOLDER.sub(r"?\1", sql), args).fetchall()]

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    async def execute(self, sql: str, *args: Any) -> None:
        await self._run(partial(self._execute, sql, args))

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        return await self._run(partial(self._fetch, sql, args))

    async def close(self) -> None:
        if self._closed:
            return
        try:
            await self._run(self._close)
        finally:
            self._closed = True
            self._worker.shutdown(wait=False)


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


def sqlite_path(url: str, base_dir: Path | None = None) -> Path | str | None:
    """The file (or ``":memory:"``) a ``sqlite:`` URL names, relative paths taken from ``base_dir``;
    ``None`` for another scheme."""
    if not url.startswith("sqlite:"):
        return None
    rest = url[len("sqlite:"):]
    rest = rest[2:] if rest.startswith("//") else rest
    if rest == ":memory:":
        return rest
    path = Path(rest)
    return base_dir / path if not path.is_absolute() and base_dir is not None else path


def open_driver(url: str, base_dir: Path | None = None) -> SqlDriver:
    """``sqlite:///abs/path.db``, ``sqlite:relative.db``, ``sqlite://:memory:`` or ``postgresql://…``."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDriver(url)
    path = sqlite_path(url, base_dir)
    if path is not None:
        return SqliteDriver(path)
    raise SecretError("secret store url must start with sqlite: or postgresql://")
