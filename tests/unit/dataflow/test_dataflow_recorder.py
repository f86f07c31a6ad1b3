"""Unit: FlowRecorder aggregation and flushing; SqliteFlowStore additive persistence (real SQLite file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.dataflow import FlowRecorder, FlowRow, SqliteFlowStore, build_recorder
from bastion.dataflow import recorder as recorder_module
from bastion.dataflow.config import DataFlowSection
from bastion.testing.clock import FakeClock


def _by_category(rows: list[FlowRow]) -> dict[str, tuple[int, int]]:
    return {r.category: (r.messages, r.items) for r in rows}


def test_counts_messages_and_values_per_category(tmp_path: Path) -> None:
    clock = FakeClock()
    rec = FlowRecorder(SqliteFlowStore(tmp_path / "flows.db"), clock, flush_interval=5)
    rec.record("r1", "GET /c/{id}", "web", "response", {"email": 2, "phone": 1})
    rec.record("r1", "GET /c/{id}", "web", "response", {"email": 1, "card": 0})
    assert _by_category(rec.pending()) == {"*": (2, 0), "email": (2, 3), "phone": (1, 1)}
    assert SqliteFlowStore(tmp_path / "flows.db").rows() == []  # not flushed before the interval


def test_flushes_after_the_interval_and_on_demand(tmp_path: Path) -> None:
    clock = FakeClock()
    store = SqliteFlowStore(tmp_path / "flows.db")
    rec = FlowRecorder(store, clock, flush_interval=5)
    rec.record("r1", "GET /c", "web", "response", {"email": 1})
    clock.advance(5)
    rec.record("r1", "GET /c", "web", "response", {"email": 1})
    assert _by_category(store.rows()) == {"*": (2, 0), "email": (2, 2)}
    assert rec.pending() == []
    rec.record("r1", "GET /c", "web", "response", {})
    rec.flush()
    assert _by_category(store.rows())["*"] == (3, 0)


def test_two_processes_add_to_each_other(tmp_path: Path) -> None:
    clock = FakeClock()
    a = FlowRecorder(SqliteFlowStore(tmp_path / "f.db"), clock)
    b = FlowRecorder(SqliteFlowStore(tmp_path / "f.db"), clock)
    a.record("r", "GET /c", "web", "response", {"iban": 1})
    clock.advance(10)
    b.record("r", "GET /c", "web", "response", {"iban": 4})
    a.flush()
    b.flush()
    (row,) = [r for r in SqliteFlowStore(tmp_path / "f.db").rows() if r.category == "iban"]
    assert (row.messages, row.items) == (2, 5)
    assert row.last_seen - row.first_seen == 10


def test_store_failure_keeps_the_counts(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    rec = FlowRecorder(SqliteFlowStore(blocker / "f.db"), FakeClock())
    rec.record("r", "GET /c", "web", "response", {"email": 1})
    rec.flush()
    assert len(rec.pending()) == 2


def test_section_and_builder(tmp_path: Path) -> None:
    rec = build_recorder({"store": "sqlite://data/flows.db"}, tmp_path, FakeClock())
    assert rec is not None and isinstance(rec.store, SqliteFlowStore)
    assert rec.store.path == tmp_path / "data" / "flows.db"
    assert build_recorder({"enabled": False}, tmp_path, FakeClock()) is None
    assert DataFlowSection(store="sqlite:///var/x.db").path(tmp_path) == Path("/var/x.db")
    with pytest.raises(ValueError, match="sqlite"):
        DataFlowSection.model_validate({"store": "redis://x"})


def test_sampling_counts_every_message_and_bounds_the_scans() -> None:
    clock = FakeClock()
    rec = FlowRecorder(None, clock, scans_per_second=20)
    flow = ("r", "GET /c", "web", "response")
    weights = [rec.observe(*flow) for _ in range(5)]
    assert weights == [1, 0, 0, 0, 0]  # one scan per 50 ms per flow
    rec.record_categories(*flow, {"email": 2}, 1)
    clock.advance(0.05)
    weight = rec.observe(*flow)
    assert weight == 5  # the sample stands for the 4 skipped messages and itself
    rec.record_categories(*flow, {"email": 1}, weight)
    assert _by_category(rec.pending()) == {"*": (6, 0), "email": (6, 7)}
    assert rec.observe("r", "GET /c", "crm", "response") == 1  # flows are sampled independently


def test_zero_rate_inspects_every_body() -> None:
    rec = FlowRecorder(None, FakeClock(), scans_per_second=0)
    assert [rec.observe("r", "GET /c", "web", "response") for _ in range(3)] == [1, 1, 1]


def test_sampled_flows_are_bounded_whatever_operations_callers_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller varying the operation label on every call (object ids in paths) cannot grow the inventory
    without bound: past ``MAX_FLOWS`` distinct flows, new ones are counted as one ``(other)`` flow."""
    monkeypatch.setattr(recorder_module, "MAX_FLOWS", 50)
    clock = FakeClock()
    rec = FlowRecorder(None, clock, scans_per_second=1000)
    for i in range(500):
        clock.advance(0.01)
        weight = rec.observe("egress", f"GET /orders/{i}", "partner", "request")
        assert weight >= 1
        rec.record_categories("egress", f"GET /orders/{i}", "partner", "request", {"email": 1}, weight)
    rows = rec.pending()
    operations = {r.operation for r in rows}
    assert len(operations) == 51 and "(other)" in operations
    other = {r.category: r.messages for r in rows if r.operation == "(other)"}
    assert other == {"*": 450, "email": 450}
    assert sum(r.messages for r in rows if r.category == "*") == 500  # every message still counted


def test_observed_flows_keep_first_and_last_seen_across_flushes(tmp_path: Path) -> None:
    """``observe`` reads the wall clock once per flow and flush, then only the monotonic clock: the rows still
    say when the flow was first and last seen, and a flush starts the next period afresh."""
    clock = FakeClock()
    start = clock.now()
    store = SqliteFlowStore(tmp_path / "flows.db")
    rec = FlowRecorder(store, clock, flush_interval=60)
    flow = ("egress", "GET /orders/{id}", "partner", "request")
    rec.observe(*flow)
    clock.advance(7.5)
    rec.observe(*flow)
    (row,) = rec.pending()
    assert (row.messages, row.first_seen, row.last_seen) == (2, start, start + 7.5)
    rec.flush()
    clock.advance(2.0)
    rec.observe(*flow)
    (row,) = rec.pending()
    assert (row.messages, row.first_seen, row.last_seen) == (1, start + 9.5, start + 9.5)
    rec.flush()
    assert sum(r.messages for r in store.rows()) == 3
