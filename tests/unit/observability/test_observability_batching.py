"""Unit: the Observer's batches on a running event loop — nothing is processed on the request path,
a batch is processed on its timer, at ``max_batch`` records, on ``flush()`` (admin reads) and on
``stop()``; runs of identical requests reach the detectors as one counted ``Event`` that weighs as
much as the requests it stands for."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest

from bastion.anomaly.config import AuthFailures, RateSpike
from bastion.anomaly.detectors.failures import AuthFailureDetector
from bastion.anomaly.detectors.spikes import RateSpikeDetector
from bastion.anomaly.model import Event
from bastion.chain.exchange import Exchange
from bastion.http.headers import Headers
from bastion.observability.factory import Monitoring, build_monitoring
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange
from bastion.webapp import AppRequest

pytestmark = pytest.mark.anyio
TOKEN = "admin-token-0123456789abcdef"


def _monitoring(tmp_path: Path, clock: FakeClock) -> Monitoring:
    return build_monitoring(audit={"enabled": False}, access_log={"output": str(tmp_path / "access.log")},
                            anomaly={}, admin_token=TOKEN, clock=clock, base_dir=tmp_path)


def _order(clock: FakeClock, order_id: str, status: int = 200, ip: str = "198.51.100.7") -> Exchange:
    ex = make_exchange("GET", f"/orders/{order_id}", route_id="get-order", template="/orders/{order_id}",
                       params={"order_id": order_id}, client_ip=ip, response_status=status,
                       received_at=clock.now())
    ex.completed_at, ex.bytes_sent = clock.now() + 0.001, 100
    return ex


def _requests_total(mon: Monitoring) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in mon.metrics.exposition().decode().splitlines()
               if line.startswith("bastion_requests_total{"))


async def test_a_batch_is_processed_once_with_identical_requests_coalesced(tmp_path: Path) -> None:
    clock = FakeClock()
    mon = _monitoring(tmp_path, clock)
    assert mon.anomaly is not None
    seen: list[Event] = []
    real = mon.anomaly.observe
    mon.anomaly.observe = lambda ev: seen.append(ev) or real(ev)  # type: ignore[method-assign, func-returns-value]
    await mon.start()
    try:
        for oid in ["1"] * 50 + ["2", "3", "1", "4"]:
            clock.advance(0.001)
            mon.observer.observe(_order(clock, oid))
        mon.observer.observe(_order(clock, "9", status=404))
        assert _requests_total(mon) == 0 and seen == []  # the request path only appended
        mon.observer.flush()
        assert _requests_total(mon) == 55
        ok, missing = sorted(seen, key=lambda e: e.status)
        assert (ok.count, ok.bytes, ok.object_id, ok.object_ids) == (54, 5400, "1", ("2", "3", "4"))
        assert ok.ts == pytest.approx(clock.now() + 0.001) and ok.identity == "ip:198.51.100.7"
        assert (missing.count, missing.status, missing.object_id) == (1, 404, "9")
    finally:
        await mon.stop()
    lines = (tmp_path / "access.log").read_text().splitlines()
    assert len(lines) == 55 and orjson.loads(lines[-1])["http.response.status_code"] == 404


async def test_the_batch_timer_processes_without_anyone_asking(tmp_path: Path) -> None:
    mon = _monitoring(tmp_path, FakeClock())
    mon.observer.batch_interval = 0.01
    await mon.start()
    try:
        mon.observer.observe(_order(FakeClock(), "1"))
        for _ in range(500):  # the loop's own timer; bounded wait, no timing assertion
            if _requests_total(mon):
                break
            await asyncio.sleep(0.01)
        assert _requests_total(mon) == 1
    finally:
        await mon.stop()


async def test_a_full_batch_is_processed_at_once_and_stop_drains_the_rest(tmp_path: Path) -> None:
    clock = FakeClock()
    mon = _monitoring(tmp_path, clock)
    mon.observer.max_batch = 10
    await mon.start()
    for i in range(25):
        mon.observer.observe(_order(clock, str(i)))
    assert _requests_total(mon) == 20
    await mon.stop()
    assert _requests_total(mon) == 25
    assert len((tmp_path / "access.log").read_text().splitlines()) == 25


async def test_admin_reads_see_the_pending_batch(tmp_path: Path) -> None:
    clock = FakeClock()
    mon = _monitoring(tmp_path, clock)
    await mon.start()
    try:
        for _ in range(3):
            mon.observer.observe(_order(clock, "1"))
        hdrs = Headers([("host", "127.0.0.1:9000"), ("authorization", f"Bearer {TOKEN}")])
        resp = await mon.admin.handle(AppRequest("GET", "/metrics", "", hdrs, b"", scheme="http"))
        assert 'bastion_requests_total{method="GET",route="get-order",status="200"} 3.0' in resp.body.decode()
    finally:
        await mon.stop()


def test_a_counted_event_weighs_like_that_many_requests() -> None:
    cfg = RateSpike(min_requests=10, factor=8, per_route=False)  # a new identity's ceiling: 10 × 8
    one_by_one, counted = RateSpikeDetector(cfg, 10.0, 1000), RateSpikeDetector(cfg, 10.0, 1000)
    singles = [one_by_one.observe(Event(ts=100.0 + i / 1000, identity="ip:a", route="r", status=200))
               for i in range(90)]
    assert next(i for i, a in enumerate(singles) if a is not None) == 80  # the 81st request
    assert counted.observe(Event(ts=100.05, identity="ip:a", route="r", status=200, count=80)) is None
    alert = counted.observe(Event(ts=100.09, identity="ip:a", route="r", status=200, count=10))
    assert alert is not None and alert.evidence["requests"] == 90

    failures = AuthFailureDetector(AuthFailures(threshold=10), 10.0, 1000)
    assert failures.observe(Event(ts=5.0, identity="ip:b", route="login", status=401, auth_failure=True,
                                  count=9)) is None
    alert = failures.observe(Event(ts=6.0, identity="ip:b", route="login", status=401, auth_failure=True))
    assert alert is not None and alert.evidence["failures"] == 10


def test_nothing_is_captured_when_every_output_is_off(tmp_path: Path) -> None:
    mon = build_monitoring(settings={"metrics": {"enabled": False}}, audit={"enabled": False},
                           access_log={"enabled": False}, anomaly={"enabled": False}, admin_token=TOKEN,
                           base_dir=tmp_path)
    # an exchange no Exchange can be (the compiled class, bastion.native, refuses a route of None)
    broken = SimpleNamespace(route=None, request_id="r-broken")
    mon.observer.observe(broken)  # type: ignore[arg-type]  # returned before reading anything: no error to count
    assert "bastion_observer_errors_total 0.0" in mon.metrics.exposition().decode()


def test_a_batch_across_a_second_is_counted_in_each_second(tmp_path: Path) -> None:
    clock = FakeClock(1_800_000_000.8)
    mon = _monitoring(tmp_path, clock)
    batch = []
    for _ in range(6):  # three before the second turns, three after
        clock.advance(0.05)
        batch.append(mon.observer._capture(_order(clock, "1")))
    mon.observer._process(batch)
    series = mon.stats.series(1_800_000_002.0, window=2, step=1)
    assert [p["requests"] for p in series] == [3, 3]
    assert _requests_total(mon) == 6


def test_access_log_lines_stay_one_per_request_whatever_the_values(tmp_path: Path) -> None:
    """The batch is serialised as one JSON array and split between records: values that look like a
    record boundary, newlines or quotes must not split or merge lines."""
    from bastion.observability.access_log import AccessLog

    log = AccessLog(str(tmp_path / "a.log"), client_ip="hashed")
    clock = FakeClock()
    nasty = ['},{"@timestamp":"x', "line\nbreak", 'quote"\\', "\u2028", ""]
    for rid in nasty:
        ex = _order(clock, "7")
        ex.request_id = rid
        log.record(ex, "sub:" + rid, 0.002)
    log.stop()
    lines = (tmp_path / "a.log").read_bytes().splitlines()
    assert len(lines) == len(nasty)
    for rid, line in zip(nasty, lines, strict=True):
        rec = orjson.loads(line)
        assert rec["http.request.id"] == rid
        assert rec["user.id"].startswith("h:") if "@" in rid else rec["user.id"] == "sub:" + rid
        assert rec["client.ip"].startswith("h:") and rec["event.duration"] == 2_000_000
