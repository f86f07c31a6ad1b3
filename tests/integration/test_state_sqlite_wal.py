"""Integration: several real processes opening one fresh SQLite file in WAL mode at the same moment all
get a working connection (sqlite answers the WAL switch with "database is locked" without waiting, so a
plain connect fails about one start in ten; found as a CI failure of the two-node revocation test)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from bastion.state.sqlite_wal import connect_wal

pytestmark = pytest.mark.integration


def _open_and_write(path: str, start: object, results: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    try:
        db = connect_wal(path, timeout=5.0)
        db.execute("CREATE TABLE IF NOT EXISTS t (pid INTEGER)")
        db.execute("INSERT INTO t VALUES (1)")
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        db.close()
        results.put(mode)  # type: ignore[attr-defined]
    except sqlite3.Error as exc:
        results.put(f"error: {exc}")  # type: ignore[attr-defined]


def test_processes_opening_a_fresh_database_together_all_get_wal(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    outcomes: list[str] = []
    for round_no in range(12):
        path = str(tmp_path / f"race{round_no}.db")
        start, results = ctx.Event(), ctx.Queue()
        procs = [ctx.Process(target=_open_and_write, args=(path, start, results)) for _ in range(4)]
        for proc in procs:
            proc.start()
        start.set()
        for proc in procs:
            proc.join(30)
        outcomes += [results.get(timeout=5) for _ in procs]
        with sqlite3.connect(path) as check:
            assert check.execute("SELECT count(*) FROM t").fetchone()[0] == 4
    assert outcomes == ["wal"] * 48
