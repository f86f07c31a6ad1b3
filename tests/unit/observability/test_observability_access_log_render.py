"""Unit: ``render_batch`` writes, for every record, exactly the line a plain per-record ``orjson.dumps`` of
the access-log fields gives, whatever the batch mixes (seconds, clients, routes, decisions, requests
without an upstream, IP modes, ``%`` in values written into the batch's line format), and the writer
renders what several batches queued as one."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from bastion.chain.exchange import Decision
from bastion.observability.access_log import AccessLog, Observed, pseudonym, render_batch, truncate_ip

KEY = b"k" * 32


def _reference(rec: Observed, ip_mode: str) -> bytes:
    """One line the slow, obvious way."""
    (_, received, duration, identity, route, template, method, _, ip, status, size, upstream, rid, _,
     decisions) = rec
    ms = int(received * 1000.0)
    stamp = datetime.fromtimestamp(ms // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"
    client = truncate_ip(ip) if ip_mode == "truncated" else pseudonym(ip, KEY) if ip_mode == "hashed" else ip
    line: dict[str, Any] = {
        "@timestamp": stamp, "http.request.id": rid, "client.ip": client,
        "user.id": pseudonym(identity, KEY) if "@" in identity else (identity or None),
        "http.response.bytes": size, "event.duration": int(duration * 1e9),
        "bastion.upstream.duration_ms": None if upstream is None else int(upstream * 1e6) / 1000,
        "bastion.decisions": [f"{d.policy}:{d.outcome}" for d in decisions],
        "event.dataset": "bastion.access", "bastion.route": route, "http.request.method": method,
        "url.path": template, "http.response.status_code": status,
    }
    return orjson.dumps(line) + b"\n"


def _records(rng: random.Random, n: int, *, clients: int, routes: int, decisions: bool, unanswered: bool,
             start: float, spread: float) -> list[Observed]:
    out: list[Observed] = []
    for i in range(n):
        received = start + rng.random() * spread
        duration = rng.random() * 0.05
        c = rng.randrange(clients)
        ip = f"10.0.{c % 7}.{c}" if c % 3 else f"2001:db8::{c:x}"
        identity = ["ip:" + ip, f"sub:user{c}@example.com", f"key:{c}%s%%d", ""][c % 4]
        r = rng.randrange(routes)
        route, template = (f"r{r}", f"/items/%{r}s/{{id{r}}}") if r else ("", f"/raw/{i}%")
        made: tuple[Decision, ...] = ()
        if decisions and rng.random() < 0.3:
            made = (Decision("rate_limit", "allow"), Decision("authz", "deny", "Forbidden"))
        upstream = None if unanswered and rng.random() < 0.3 else rng.random() * 0.04
        rid = rng.choice(["", 'quo"te', "new\nline", '},{"@timestamp":"x', "%s%d", '","', 'back\\', '\\","\\',
                          f"{rng.getrandbits(64):x}"])
        out.append((received + duration, received, duration, identity, route, template,
                    rng.choice(["GET", "POST"]), f"/items/{i}", ip, rng.choice([200, 200, 404, 502]),
                    rng.randrange(100_000), upstream, rid, {}, made))
    return out


CASES = {
    "one client, one route, one second": dict(clients=1, routes=2, decisions=False, unanswered=False, spread=0.0005),
    "one client across seconds": dict(clients=1, routes=2, decisions=False, unanswered=False, spread=3.0),
    "many clients and routes": dict(clients=40, routes=6, decisions=False, unanswered=False, spread=0.1),
    "decisions and unanswered requests": dict(clients=40, routes=6, decisions=True, unanswered=True, spread=2.5),
}


@pytest.mark.parametrize("ip_mode", ["full", "truncated", "hashed"])
@pytest.mark.parametrize("case", list(CASES))
def test_batch_renders_as_the_per_record_reference(case: str, ip_mode: str) -> None:
    rng = random.Random(f"{case}/{ip_mode}")
    for n in (1, 2, 17, 400):
        recs = _records(rng, n, start=1_800_000_000.9, **CASES[case])  # type: ignore[arg-type]
        if case.startswith("one client, one route"):  # the fast path: every repeating column is one value
            recs = [(*r[:4], "r1", "/items/{id1}", "GET", r[7], r[8], 200, *r[10:]) for r in recs]
        expected = b"".join(_reference(r, ip_mode) for r in recs)
        assert render_batch(recs, ip_mode, KEY) == expected


def test_queued_batches_are_written_in_order_as_one(tmp_path: Path) -> None:
    log = AccessLog(str(tmp_path / "a.log"), key=KEY)
    rng = random.Random(7)
    batches = [_records(rng, n, clients=3, routes=3, decisions=True, unanswered=True, start=1_800_000_000.0,
                        spread=2.0) for n in (5, 1, 12)]
    for batch in batches:
        log.extend(batch)
    log._drain()
    log.stop()
    expected = b"".join(_reference(r, "full") for batch in batches for r in batch)
    assert (tmp_path / "a.log").read_bytes() == expected
    assert log.pending == 0 and log.dropped == 0


def test_a_batch_that_cannot_be_rendered_loses_only_its_own_lines(tmp_path: Path) -> None:
    log = AccessLog(str(tmp_path / "a.log"), key=KEY)
    rng = random.Random(8)
    good = _records(rng, 3, clients=2, routes=2, decisions=False, unanswered=False, start=1_800_000_000.0,
                    spread=0.5)
    broken = [(*good[0][:10], "not a size", *good[0][11:])]
    log.extend(good)
    log.extend(broken)  # type: ignore[arg-type]
    log.extend(good)
    log.stop()
    assert (tmp_path / "a.log").read_bytes() == b"".join(_reference(r, "full") for r in good * 2)
    assert log.dropped == 1 and log.pending == 0


def test_the_writer_wakes_early_when_a_quarter_of_the_queue_is_used(tmp_path: Path) -> None:
    """Lines are written once a second, or as soon as a quarter of ``max_pending`` waits, so a burst is not
    dropped for want of a wake-up."""
    import time

    log = AccessLog(str(tmp_path / "a.log"), key=KEY, max_pending=8, interval=60.0)
    log.start()
    try:
        rng = random.Random(9)
        recs = _records(rng, 3, clients=1, routes=1, decisions=False, unanswered=False, start=1_800_000_000.0,
                        spread=0.1)
        log.extend(recs)  # 3 > 8 / 4
        deadline = time.monotonic() + 5
        while log.pending and time.monotonic() < deadline:
            time.sleep(0.01)
        assert log.pending == 0
        assert (tmp_path / "a.log").read_bytes() == b"".join(_reference(r, "full") for r in recs)
    finally:
        log.stop()
