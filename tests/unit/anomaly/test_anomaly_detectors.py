"""Unit: each detector on a FakeClock — the attack fires an alert with evidence, normal traffic does
not, warm-up and de-duplication hold, and memory stays bounded."""

from __future__ import annotations

from typing import Any

from bastion.anomaly.config import (
    AnomalySection,
    AuthFailures,
    Enumeration,
    RateSpike,
    RouteSpread,
    Scanning,
    VolumeSpike,
)
from bastion.anomaly.detectors.failures import AuthFailureDetector, ScanningDetector
from bastion.anomaly.detectors.spikes import RateSpikeDetector, VolumeSpikeDetector
from bastion.anomaly.detectors.spread import EnumerationDetector, RouteSpreadDetector
from bastion.anomaly.engine import AnomalyEngine
from bastion.anomaly.model import Alert, Event
from bastion.anomaly.windows import BoundedMap
from bastion.testing.clock import FakeClock


def ev(clock: FakeClock, **kw: Any) -> Event:
    fields: dict[str, Any] = {"identity": "sub:alice", "route": "get-order", "status": 200, **kw}
    return Event(ts=clock.now(), **fields)


def run(detector: object, events: list[Event]) -> list[Alert]:
    out = []
    for e in events:
        alert = detector.observe(e)  # type: ignore[attr-defined]
        if alert is not None:
            out.append(alert)
    return out


def steady(clock: FakeClock, detector: object, seconds: int, every: float, **kw: Any) -> list[Alert]:
    alerts: list[Alert] = []
    for _ in range(int(seconds / every)):
        clock.advance(every)
        alerts += run(detector, [ev(clock, **kw)])
    return alerts


def test_rate_spike_fires_on_an_established_identity_bursting() -> None:
    clock = FakeClock()
    d = RateSpikeDetector(RateSpike(), bucket=10, max_keys=100)
    assert steady(clock, d, 600, 3.0) == []  # ten minutes at one request per 3 s: learned, no alert
    burst = steady(clock, d, 30, 0.1)
    assert burst, "10 requests/s for 30 s must alert"
    alert = burst[0]
    assert alert.detector == "rate_spike" and alert.identity == "sub:alice"
    assert alert.evidence["requests"] > alert.evidence["threshold"] >= 120
    assert alert.detected_at - clock.now() > -30


def test_rate_spike_does_not_fire_on_a_steady_busy_client() -> None:
    clock = FakeClock()
    d = RateSpikeDetector(RateSpike(per_route=False), bucket=10, max_keys=100)
    assert steady(clock, d, 1800, 0.25, identity="client:poller") == []  # 4 req/s all along is its normal


def test_rate_spike_uses_the_population_baseline_during_warm_up() -> None:
    clock = FakeClock()
    d = RateSpikeDetector(RateSpike(per_route=False), bucket=10, max_keys=100)
    for i in range(30):  # population learns: many identities at ~1 request per 5 s
        steady(clock, d, 60, 5.0, identity=f"sub:u{i}")
    assert steady(clock, d, 20, 0.05, identity="sub:newcomer"), "20 req/s from a new identity must alert"


def test_auth_failure_burst_from_one_ip_alerts() -> None:
    clock = FakeClock()
    d = AuthFailureDetector(AuthFailures(), bucket=10, max_keys=100)
    alerts = steady(clock, d, 20, 1.0, identity="ip:203.0.113.9", route="login", status=401, auth_failure=True)
    assert len(alerts) >= 1
    assert alerts[0].evidence["failures"] >= 10 and alerts[0].identity == "ip:203.0.113.9"


def test_distributed_stuffing_alerts_on_the_route_not_on_any_one_ip() -> None:
    clock = FakeClock()
    d = AuthFailureDetector(AuthFailures(), bucket=10, max_keys=1000)
    alerts = []
    for i in range(60):  # 2 failures/s on /login, each from a different address
        clock.advance(0.5)
        alerts += run(d, [ev(clock, identity=f"ip:192.0.2.{i}", route="login", status=401, auth_failure=True)])
    assert [(a.identity, a.route, a.evidence["scope"]) for a in alerts][:1] == [("*", "login", "route")]
    assert alerts[0].evidence["failures"] >= 30


def test_mistyped_passwords_across_users_do_not_alert_on_the_route() -> None:
    clock = FakeClock()
    d = AuthFailureDetector(AuthFailures(), bucket=10, max_keys=1000)
    events = []
    for i in range(3600):  # an hour: one failed login every 10 s from different users
        clock.advance(1)
        if i % 10 == 0:
            events.append(ev(clock, identity=f"ip:10.0.0.{i % 200}", route="login", status=401, auth_failure=True))
    assert run(d, events) == []


def test_occasional_auth_failures_among_successes_do_not_alert() -> None:
    clock = FakeClock()
    d = AuthFailureDetector(AuthFailures(), bucket=10, max_keys=100)
    events = []
    for i in range(600):
        clock.advance(0.5)
        events.append(ev(clock, identity="ip:10.0.0.1", status=401 if i % 25 == 0 else 200, auth_failure=i % 25 == 0))
    assert run(d, events) == []


def test_enumeration_of_object_ids_alerts() -> None:
    clock = FakeClock()
    d = EnumerationDetector(Enumeration(), bucket=10, max_keys=100)
    alerts = []
    for i in range(40):
        clock.advance(1.0)
        alerts += run(d, [ev(clock, status=403, object_id=str(5000 + i))])
    assert alerts and alerts[0].evidence["distinct_ids"] == 25
    assert alerts[0].started_at <= clock.now() - 10


def test_revisiting_own_objects_is_not_enumeration() -> None:
    clock = FakeClock()
    d = EnumerationDetector(Enumeration(), bucket=10, max_keys=100)
    events = []
    for i in range(2000):
        clock.advance(0.5)
        events.append(ev(clock, object_id=str(i % 8)))
    assert run(d, events) == []


def test_enumeration_slower_than_the_window_is_not_flagged() -> None:
    clock = FakeClock()
    d = EnumerationDetector(Enumeration(window=120, distinct_ids=25), bucket=10, max_keys=100)
    events = []
    for i in range(100):
        clock.advance(10.0)  # one new id every 10 s: at most 12 in any 120 s window
        events.append(ev(clock, object_id=str(i)))
    assert run(d, events) == []


def test_scanning_many_missing_paths_alerts() -> None:
    clock = FakeClock()
    d = ScanningDetector(Scanning(), bucket=10, max_keys=100)
    alerts = []
    for i in range(20):
        clock.advance(1.0)
        alerts += run(d, [ev(clock, identity="ip:203.0.113.5", route="-", status=404, target=f"/probe{i}")])
    assert alerts and alerts[0].evidence == {"kind": "not_found_or_method", "distinct_targets": 12,
                                             "threshold": 12, "window_s": 60.0}


def test_scanning_403_across_routes_alerts_but_403_on_one_route_does_not() -> None:
    clock = FakeClock()
    d = ScanningDetector(Scanning(), bucket=10, max_keys=100)
    same = []
    for _ in range(50):
        clock.advance(1.0)
        same += run(d, [ev(clock, identity="sub:bob", route="get-order", status=403)])
    assert same == []
    spread = []
    for i in range(20):
        clock.advance(1.0)
        spread += run(d, [ev(clock, identity="sub:eve", route=f"admin-{i}", status=403)])
    assert spread and spread[0].evidence["kind"] == "forbidden"


def test_repeated_404_on_one_path_is_not_scanning() -> None:
    clock = FakeClock()
    d = ScanningDetector(Scanning(), bucket=10, max_keys=100)
    assert steady(clock, d, 120, 0.5, route="-", status=404, target="/favicon.ico") == []


def test_volume_spike_alerts_on_bulk_downloads() -> None:
    clock = FakeClock()
    d = VolumeSpikeDetector(VolumeSpike(), bucket=10, max_keys=100)
    assert steady(clock, d, 600, 4.0, bytes=3000) == []
    alerts = steady(clock, d, 60, 2.0, bytes=700_000)
    assert alerts and alerts[0].evidence["bytes"] > 2 * 1024 * 1024


def test_new_identity_hitting_many_routes_alerts_but_an_old_one_does_not() -> None:
    clock = FakeClock()
    d = RouteSpreadDetector(RouteSpread(), bucket=10, max_keys=100)
    run(d, [ev(clock, identity="client:old")])
    clock.advance(3600)
    old = []
    for i in range(20):
        clock.advance(2)
        old += run(d, [ev(clock, identity="client:old", route=f"r{i}")])
    assert old == []
    new = []
    for i in range(20):
        clock.advance(2)
        new += run(d, [ev(clock, identity="client:new", route=f"r{i}")])
    assert new and new[0].evidence["distinct_routes"] == 10


def test_route_spread_ignores_unmatched_and_405() -> None:
    clock = FakeClock()
    d = RouteSpreadDetector(RouteSpread(), bucket=10, max_keys=100)
    events = []
    for i in range(30):
        clock.advance(1)
        events.append(ev(clock, identity="ip:1.2.3.4", route="-" if i % 2 else f"r{i}", status=404 if i % 2 else 405))
    assert run(d, events) == []


def test_engine_deduplicates_within_cooldown_and_sets_the_action() -> None:
    clock = FakeClock()
    cfg = AnomalySection.model_validate({"detectors": {"auth_failures": {"block_for": "10m"}}})
    engine = AnomalyEngine(cfg)
    raised = []
    for _ in range(200):
        clock.advance(0.5)
        raised += engine.observe(ev(clock, identity="ip:203.0.113.1", route="login", status=401,
                                    auth_failure=True)) or []
    assert [a.detector for a in raised] == ["auth_failures"]
    assert raised[0].action == "block 600s"
    assert list(engine.recent) == raised
    clock.advance(400)
    for _ in range(20):
        clock.advance(0.5)
        raised += engine.observe(ev(clock, identity="ip:203.0.113.1", route="login", status=401,
                                    auth_failure=True)) or []
    assert len(raised) == 2  # after the cooldown, a new alert


def test_a_failing_sink_does_not_break_detection() -> None:
    clock = FakeClock()

    def broken(alert: Alert) -> None:
        raise RuntimeError("sink down")

    got: list[Alert] = []
    engine = AnomalyEngine(AnomalySection(), [broken, got.append])
    for i in range(20):
        clock.advance(1)
        engine.observe(ev(clock, identity="ip:9.9.9.9", route="-", status=404, target=f"/x{i}"))
    assert got and engine.errors == 1


def _maps(obj: object, depth: int = 2) -> list[BoundedMap[object]]:
    found: list[BoundedMap[object]] = []
    for value in getattr(obj, "__dict__", {}).values():
        if isinstance(value, BoundedMap):
            found.append(value)
        elif depth and hasattr(value, "__dict__"):
            found += _maps(value, depth - 1)
    return found


def test_state_is_bounded_per_detector() -> None:
    clock = FakeClock()
    engine = AnomalyEngine(AnomalySection(max_keys=100))
    for i in range(3000):  # 3000 distinct identities, objects and paths
        clock.advance(0.01)
        engine.observe(ev(clock, identity=f"ip:10.0.{i // 250}.{i % 250}", object_id=str(i), target=f"/{i}"))
    maps = [m for detector, _ in engine.detectors for m in _maps(detector)]
    assert len(maps) >= 6
    assert all(len(m) <= 100 for m in maps)


def test_bounded_map_evicts_least_recently_used() -> None:
    m: BoundedMap[list[int]] = BoundedMap(2, list)
    m.get("a").append(1)
    m.get("b")
    m.get("a")
    m.get("c")
    assert m.peek("b") is None and m.peek("a") == [1]


def test_alert_ids_are_sixteen_hex_digits_and_distinct() -> None:
    ids = [Alert("rate_spike", "ip:203.0.113.9", "r", 0.0, "medium", {}).id for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in ids)


def test_a_detector_in_cooldown_builds_no_alert(monkeypatch: Any) -> None:
    """Over its threshold for the whole cooldown, a detector asks the engine before building an ``Alert``:
    one alert is built (and raised) at the start, none while the cooldown holds, one again after it."""
    from bastion.anomaly.detectors import failures

    built: list[Alert] = []

    def counted(*args: Any, **kw: Any) -> Alert:
        built.append(Alert(*args, **kw))
        return built[-1]

    monkeypatch.setattr(failures, "Alert", counted)
    clock = FakeClock()
    engine = AnomalyEngine(AnomalySection.model_validate({"detectors": {"auth_failures": {"cooldown": "60s"}}}))
    raised: list[Alert] = []
    for _ in range(100):  # 50 s of failures: over the threshold from the 10th on
        clock.advance(0.5)
        raised += engine.observe(ev(clock, identity="ip:203.0.113.9", route="login", status=401,
                                    auth_failure=True)) or []
    assert [a.detector for a in raised] == ["auth_failures"] and len(built) == 1
    alone = AuthFailureDetector(AuthFailures(), bucket=10, max_keys=100)  # no engine: never muted
    assert run(alone, [ev(clock, identity="ip:203.0.113.9", route="login", status=401, auth_failure=True)
                       for _ in range(12)])
    built.clear()
    clock.advance(15)  # past the 60-s cooldown, still failing
    raised += engine.observe(ev(clock, identity="ip:203.0.113.9", route="login", status=401,
                                auth_failure=True)) or []
    assert len(raised) == 2 and len(built) == 1
