"""Unit: the Observer and its outputs — metrics, the redacted access log (file, rotation), audit events
for denials, live stats, and the anomaly feed; built through ``build_monitoring``."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest

from bastion.chain.exchange import Decision, Principal
from bastion.errors import SecurityWarning
from bastion.findings.model import Finding, Severity
from bastion.observability.access_log import AccessLog
from bastion.observability.events import identity_of, security_events
from bastion.observability.factory import Monitoring, build_monitoring
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange

SECRET_TOKEN = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2ln"


def _monitoring(tmp_path: Path, clock: FakeClock) -> Monitoring:
    return build_monitoring(
        audit={"enabled": False}, access_log={"output": str(tmp_path / "access.log"), "client_ip": "truncated"},
        anomaly={}, admin_token="t" * 32, clock=clock, base_dir=tmp_path,
    )


def _exchange(clock: FakeClock, **kw: object):  # type: ignore[no-untyped-def]
    ex = make_exchange(
        "GET", "/orders/alice@example.com", query=f"access_token={SECRET_TOKEN}", template="/orders/{order_id}",
        params={"order_id": "alice@example.com"}, route_id="get-order", client_ip="203.0.113.77",
        headers=[("authorization", f"Bearer {SECRET_TOKEN}"), ("cookie", "session=s3cr3t")],
        response_status=200, received_at=clock.now(), **kw,  # type: ignore[arg-type]
    )
    ex.completed_at = clock.now() + 0.012
    ex.bytes_sent = 512
    return ex


def test_access_log_line_is_ecs_like_and_redacted(tmp_path: Path) -> None:
    clock = FakeClock()
    mon = _monitoring(tmp_path, clock)
    ex = _exchange(clock, principal=Principal("alice@example.com", "jwt"))
    ex.decisions.append(Decision("jwt", "allow"))
    mon.observer.observe(ex)
    assert mon.access_log is not None
    mon.access_log.stop()
    text = (tmp_path / "access.log").read_text()
    line = orjson.loads(text)
    assert line["http.request.id"] == ex.request_id
    assert line["url.path"] == "/orders/{order_id}" and line["bastion.route"] == "get-order"
    assert line["http.response.status_code"] == 200 and line["http.response.bytes"] == 512
    assert abs(line["event.duration"] - 12_000_000) < 1000  # ns, from float seconds
    assert line["client.ip"] == "203.0.113.0"
    assert line["user.id"].startswith("h:")  # e-mail-like subject pseudonymised
    assert line["bastion.decisions"] == ["jwt:allow"]
    for leaked in (SECRET_TOKEN, "s3cr3t", "alice@example.com", "203.0.113.77"):
        assert leaked not in text


def test_access_log_rotates_at_max_bytes(tmp_path: Path) -> None:
    clock = FakeClock()
    log = AccessLog(str(tmp_path / "a.log"), max_bytes=2000, backups=2)
    for _ in range(30):
        log.record(_exchange(clock), "ip:1.2.3.4", 0.001)
        log._drain()
    log.stop()
    assert (tmp_path / "a.log").exists() and (tmp_path / "a.log.1").exists() and (tmp_path / "a.log.2").exists()
    assert not (tmp_path / "a.log.3").exists()
    assert all(p.stat().st_size <= 2000 for p in tmp_path.glob("a.log*"))


def test_access_log_drops_instead_of_blocking_when_full() -> None:
    clock = FakeClock()
    log = AccessLog("stdout", max_pending=3)
    for _ in range(5):
        log.record(_exchange(clock), "ip:1.2.3.4", 0.001)
    assert log.dropped == 2


def test_metrics_count_requests_decisions_and_rate_limits(tmp_path: Path) -> None:
    clock = FakeClock()
    mon = _monitoring(tmp_path, clock)
    ok = _exchange(clock)
    limited = _exchange(clock)
    limited.response.status = 429  # type: ignore[union-attr]
    limited.decisions.append(Decision("rate_limit", "deny", "Too Many Requests"))
    for ex in (ok, ok, limited):
        mon.observer.observe(ex)
    text = mon.metrics.exposition().decode()
    assert 'bastion_requests_total{method="GET",route="get-order",status="200"} 2.0' in text
    assert 'bastion_ratelimit_rejections_total{route="get-order"} 1.0' in text
    assert 'bastion_blocks_total{policy="rate_limit",reason="Too Many Requests"} 1.0' in text
    assert 'bastion_request_duration_seconds_bucket{le="0.025",route="get-order",status="2xx"} 2.0' in text
    stats = mon.stats.series(clock.now() + 1, window=10, step=5)  # once the current second is complete
    assert sum(p["requests"] for p in stats) == 3 and stats[-1]["rps"] == pytest.approx(0.6)
    assert mon.stats.top()["routes"] == [("get-order", 3)]


def test_denials_become_audit_events_without_secrets() -> None:
    clock = FakeClock()
    ex = _exchange(clock)
    ex.response.status = 401  # type: ignore[union-attr]
    ex.decisions += [Decision("jwt", "deny", "Authentication required"), Decision("waf", "report", "sqli")]
    ex.findings.append(Finding("waf.sqli", "SQL injection", Severity.HIGH, "API8:2023", 89, "sqli in query"))
    events = security_events(ex, identity_of(ex), 401)
    assert [k for k, _ in events] == ["auth.failure", "request.blocked"]
    assert events[1][1]["rule_ids"] == ["waf.sqli"]
    dumped = orjson.dumps(events).decode()
    assert SECRET_TOKEN not in dumped and "s3cr3t" not in dumped


@pytest.mark.parametrize(("principal", "expected"), [
    (None, "ip:203.0.113.77"),
    (Principal("alice", "jwt"), "sub:alice"),
    (Principal("svc", "jwt", client_id="inventory"), "client:inventory"),
    (Principal("key-17", "api_key"), "key:key-17"),
])
def test_identity_of(principal: Principal | None, expected: str) -> None:
    assert identity_of(_exchange(FakeClock(), principal=principal)) == expected


def test_observer_feeds_the_detectors_and_never_raises(tmp_path: Path) -> None:
    clock = FakeClock()
    mon = _monitoring(tmp_path, clock)
    for i in range(15):
        clock.advance(1)
        ex = make_exchange("GET", f"/probe{i}", route_id="", client_ip="198.51.100.3", response_status=404,
                           received_at=clock.now())
        mon.observer.observe(ex)
    assert mon.anomaly is not None
    assert [a.detector for a in mon.anomaly.recent] == ["scanning"]
    # an exchange no Exchange can be (the compiled class, bastion.native, refuses a route of None)
    broken = SimpleNamespace(route=None, request_id="r-broken")
    mon.observer.observe(broken)  # type: ignore[arg-type]  # logged and counted, not raised
    assert "bastion_observer_errors_total 1.0" in mon.metrics.exposition().decode()


def test_unrouted_requests_are_logged_counted_and_feed_scanning(tmp_path: Path) -> None:
    clock = FakeClock()
    mon = _monitoring(tmp_path, clock)
    for i in range(12):
        clock.advance(1)
        mon.observer.observe_unrouted(method="GET", path=f"/.git/{i}", client_ip="198.51.100.9", status=404,
                                      request_id=f"r{i}", received_at=clock.now())
    assert mon.anomaly is not None and [a.detector for a in mon.anomaly.recent] == ["scanning"]
    assert 'bastion_requests_total{method="GET",route="-",status="404"} 12.0' in mon.metrics.exposition().decode()
    assert mon.access_log is not None
    mon.access_log.stop()
    line = orjson.loads((tmp_path / "access.log").read_text().splitlines()[0])
    assert line["bastion.route"] == "" and line["http.response.status_code"] == 404


def test_dropped_lines_and_audit_queue_are_exported(tmp_path: Path) -> None:
    clock = FakeClock()
    mon = build_monitoring(audit={"sink": f"sqlite:///{tmp_path}/a.db", "max_pending": 2},
                           access_log={"output": str(tmp_path / "x.log"), "max_pending": 1},
                           admin_token="t" * 32, clock=clock, base_dir=tmp_path)
    ex = _exchange(clock)
    ex.decisions.append(Decision("authorize", "deny", "Forbidden"))
    for _ in range(4):
        mon.observer.observe(ex)
    text = mon.metrics.exposition().decode()
    assert "bastion_access_log_dropped_total 3.0" in text
    assert "bastion_audit_dropped_total 2.0" in text
    assert "bastion_audit_queue_depth 2.0" in text


def test_plain_http_webhook_off_loopback_is_a_security_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOK_SECRET", "s" * 32)
    hook = {"url": "http://hooks.example.com/x", "secret": "${env:HOOK_SECRET}"}
    with pytest.warns(SecurityWarning, match="plain HTTP"):
        build_monitoring(audit={"enabled": False}, access_log={"enabled": False}, anomaly={"webhooks": [hook]},
                         admin_token="t" * 32, base_dir=tmp_path)
    local = {"url": "http://127.0.0.1:9/x", "secret": "${env:HOOK_SECRET}"}
    mon = build_monitoring(audit={"enabled": False}, access_log={"enabled": False}, anomaly={"webhooks": [local]},
                           admin_token="t" * 32, base_dir=tmp_path)
    assert mon.webhooks is not None and "s" * 32 not in repr(mon.webhooks.targets)
