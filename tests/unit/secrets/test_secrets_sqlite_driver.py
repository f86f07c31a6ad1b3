"""Unit: the SQLite secret-store driver runs sqlite on its own thread, so a locked database never stalls
the event loop; statements keep their order; errors are SecretErrors without paths."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bastion.errors import SecretError
from bastion.secrets.sql import DuplicateRow, SqliteDriver

pytestmark = pytest.mark.anyio


async def test_a_locked_database_does_not_block_the_event_loop(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    driver = SqliteDriver(path)
    await driver.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        write = asyncio.create_task(driver.execute("INSERT INTO t (k) VALUES ($1)", "a"))
        await asyncio.sleep(0)  # the write starts; inline on the loop it would wait here for the lock
        await asyncio.sleep(0)
        assert not write.done()  # it waits on the driver's thread while the loop goes on
    finally:
        other.execute("COMMIT")
        other.close()
    await write
    assert await driver.fetch("SELECT k FROM t") == [("a",)]
    await driver.close()


async def test_statements_run_in_order_on_one_thread_that_is_not_the_loop(tmp_path: Path) -> None:
    driver = SqliteDriver(tmp_path / "s.db")
    await driver.execute("CREATE TABLE t (n INTEGER)")
    await asyncio.gather(*(driver.execute("INSERT INTO t (n) VALUES ($1)", i) for i in range(50)))
    assert [r[0] for r in await driver.fetch("SELECT n FROM t ORDER BY rowid")] == list(range(50))
    threads: set[int] = set()
    for _ in range(3):
        await driver._run(lambda: threads.add(threading.get_ident()))
    assert len(threads) == 1 and threading.get_ident() not in threads
    await driver.close()


async def test_duplicate_key_maps_to_duplicate_row() -> None:
    driver = SqliteDriver(":memory:")
    await driver.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
    await driver.execute("INSERT INTO t (k) VALUES ($1)", "a")
    with pytest.raises(DuplicateRow):
        await driver.execute("INSERT INTO t (k) VALUES ($1)", "a")
    await driver.close()


async def test_unusable_path_and_closed_driver_are_secret_errors_without_the_path(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    bad = SqliteDriver(tmp_path / "file" / "s.db")
    with pytest.raises(SecretError, match=r"cannot use the secret store database \(\w+Error\)") as caught:
        await bad.fetch("SELECT 1")
    assert str(tmp_path) not in str(caught.value)
    await bad.close()
    driver = SqliteDriver(":memory:")
    await driver.close()
    await driver.close()  # idempotent
    with pytest.raises(SecretError, match="closed"):
        await driver.fetch("SELECT 1")


def test_usable_from_successive_event_loops(tmp_path: Path) -> None:
    driver = SqliteDriver(tmp_path / "s.db")
    asyncio.run(driver.execute("CREATE TABLE t (k TEXT)"))
    asyncio.run(driver.execute("INSERT INTO t (k) VALUES ($1)", "x"))
    assert asyncio.run(driver.fetch("SELECT k FROM t")) == [("x",)]
    asyncio.run(driver.close())
