"""Unit: ThreadedFlowStore writes on its own thread, keeps failed rows for the next write, drains on close."""

from __future__ import annotations

import threading
from pathlib import Path

from bastion.dataflow import FlowRow, SqliteFlowStore, build_recorder
from bastion.dataflow.writer import ThreadedFlowStore, merge
from bastion.testing.clock import FakeClock


def _row(category: str, messages: int, items: int, first: float = 1.0, last: float = 2.0) -> FlowRow:
    return FlowRow("r", "GET /c", "web", "response", category, messages, items, first, last)


class _RecordingStore(SqliteFlowStore):
    """The real SQLite store, noting which thread wrote and failing the writes it is told to fail."""

    def __init__(self, path: Path, fail: int = 0) -> None:
        super().__init__(path)
        self.fail = fail
        self.threads: list[int] = []

    def add(self, rows: object) -> None:  # type: ignore[override]
        self.threads.append(threading.get_ident())
        if self.fail:
            self.fail -= 1
            raise OSError("disk full")
        super().add(rows)  # type: ignore[arg-type]


def test_writes_happen_off_the_calling_thread(tmp_path: Path) -> None:
    inner = _RecordingStore(tmp_path / "f.db")
    store = ThreadedFlowStore(inner)
    store.add([_row("email", 1, 2)])
    assert store.wait()
    assert inner.threads and threading.get_ident() not in inner.threads
    assert [(r.category, r.messages, r.items) for r in store.rows()] == [("email", 1, 2)]
    store.close()


def test_a_failed_write_is_added_to_the_next_one_and_nothing_counts_twice(tmp_path: Path) -> None:
    inner = _RecordingStore(tmp_path / "f.db", fail=2)
    store = ThreadedFlowStore(inner)
    store.add([_row("email", 1, 2, first=1.0, last=1.0)])
    store.add([_row("email", 3, 3, first=5.0, last=5.0), _row("phone", 1, 1)])
    assert store.wait()
    assert SqliteFlowStore(tmp_path / "f.db").rows() == []
    assert store.failures == 2
    store.add([_row("email", 1, 1, first=9.0, last=9.0)])
    rows = {r.category: r for r in store.rows()}
    assert (rows["email"].messages, rows["email"].items) == (5, 6)
    assert (rows["email"].first_seen, rows["email"].last_seen) == (1.0, 9.0)
    assert (rows["phone"].messages, rows["phone"].items) == (1, 1)
    store.close()


def test_close_writes_what_is_queued_and_what_failed_before(tmp_path: Path) -> None:
    inner = _RecordingStore(tmp_path / "f.db", fail=1)
    store = ThreadedFlowStore(inner)
    store.add([_row("email", 2, 2)])
    assert store.wait()
    store.close()
    assert [(r.messages, r.items) for r in SqliteFlowStore(tmp_path / "f.db").rows()] == [(2, 2)]


def test_carried_rows_stay_one_per_flow_while_the_store_is_down(tmp_path: Path) -> None:
    inner = _RecordingStore(tmp_path / "f.db", fail=50)
    store = ThreadedFlowStore(inner)
    for _ in range(40):
        store.add([_row("email", 1, 1), _row("*", 1, 0)])
    assert store.wait()
    assert len(store._carry) == 2
    assert {r.category: r.messages for r in store._carry} == {"email": 40, "*": 40}
    store.close()


def test_merge_sums_counts_and_widens_times() -> None:
    (row,) = merge([_row("iban", 1, 2, 3.0, 4.0), _row("iban", 2, 5, 1.0, 2.0)])
    assert (row.messages, row.items, row.first_seen, row.last_seen) == (3, 7, 1.0, 4.0)


def test_the_gateway_recorder_flushes_through_the_thread(tmp_path: Path) -> None:
    clock = FakeClock()
    rec = build_recorder({"store": "sqlite://flows.db", "flush_interval": 5}, tmp_path, clock, threaded=True)
    assert rec is not None and isinstance(rec.store, ThreadedFlowStore)
    rec.record("r", "GET /c", "web", "response", {"email": 1})
    clock.advance(5)
    rec.record("r", "GET /c", "web", "response", {"email": 1})
    assert rec.pending() == []  # handed over at once, whatever the disk does
    rec.store.close()
    assert {r.category: r.messages for r in SqliteFlowStore(tmp_path / "flows.db").rows()} == {"*": 2, "email": 2}
