"""Unit: connect_wal retries the WAL switch while another connection holds the database, gives up with
the sqlite error once its timeout is spent, and never retries errors that are not about a lock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bastion.state.sqlite_wal import connect_wal


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


def _locked_database(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (a)")
    holder.execute("BEGIN EXCLUSIVE")  # nobody else may switch the journal mode now
    return holder


def test_the_switch_is_retried_until_the_lock_is_released(tmp_path: Path) -> None:
    path = tmp_path / "db"
    holder = _locked_database(path)
    clock = FakeTime()

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if len(clock.sleeps) == 3:
            holder.execute("COMMIT")

    db = connect_wal(path, timeout=1.0, sleep=sleep, monotonic=clock.monotonic)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert len(clock.sleeps) == 3 and clock.sleeps == sorted(clock.sleeps)  # backs off
    db.close()
    holder.close()


def test_a_lock_held_past_the_timeout_raises_the_sqlite_error(tmp_path: Path) -> None:
    path = tmp_path / "db"
    holder = _locked_database(path)
    clock = FakeTime()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        connect_wal(path, timeout=0.5, sleep=clock.sleep, monotonic=clock.monotonic)
    assert 0 < clock.now <= 0.5
    holder.execute("COMMIT")
    holder.close()


def test_errors_that_are_not_locks_are_not_retried(tmp_path: Path) -> None:
    path = tmp_path / "db"
    path.write_bytes(b"this is not a sqlite database, and it is long enough to have a header" * 10)
    clock = FakeTime()
    with pytest.raises(sqlite3.DatabaseError):
        connect_wal(path, timeout=5.0, sleep=clock.sleep, monotonic=clock.monotonic)
    assert clock.sleeps == []
