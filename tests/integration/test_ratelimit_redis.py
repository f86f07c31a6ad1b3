"""Integration: the rate_limit policy on a real Redis (127.0.0.1:6379), and with Redis unreachable.

Three separate OS processes share one Redis and hold the global limit within 5 %; three gateways
configured with ``state: redis://…`` share one quota exactly; the Lua script
decides exactly as the pure math does; an unreachable Redis gives 503 (fail_closed) or local limits.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from bastion.chain.policy import PolicyDeps
from bastion.policies.rate_limit import RateLimitConfig, RateLimitPolicy
from bastion.ratelimit.memory import MemoryCounterStore
from bastion.ratelimit.redis import RedisCounterStore
from bastion.ratelimit.strategies import Concurrency, Gcra, Rule, Window
from bastion.state import StateBackend, build_state
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange
from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream

pytestmark = pytest.mark.integration
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
async def state() -> AsyncIterator[StateBackend]:
    backend = build_state(REDIS, prefix=f"test-rl-{uuid.uuid4().hex[:10]}:")
    yield backend
    keys = [k async for k in backend.redis.scan_iter(match=backend.prefix + "*")]
    if keys:
        await backend.redis.delete(*keys)
    await backend.redis.aclose()


@pytest.fixture
def shared_prefix() -> Iterator[str]:
    import redis

    prefix = f"test-rl-{uuid.uuid4().hex[:10]}:"
    yield prefix
    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def policy(clock: Any, state: StateBackend, **raw: Any) -> RateLimitPolicy:
    deps = PolicyDeps(clock=clock, services={"state": state}, route_id="orders")
    return RateLimitPolicy(RateLimitConfig.model_validate(raw), deps)


@pytest.mark.anyio
async def test_lua_script_decides_exactly_like_the_pure_math(state: StateBackend) -> None:
    redis_store = RedisCounterStore(state.redis, state.prefix)
    memory = MemoryCounterStore()
    rules: list[Rule] = [Gcra(5, 1.0, 3), Window(7, 10.0), Concurrency(4, lease=2.0)]
    keys = ["k:g", "k:w", "k:c"]
    clock = FakeClock(start=1_800_000_000.0)
    for i, (gap, cost) in enumerate([(0, 1), (0, 1), (0, 2), (0.1, 1), (0.3, 1), (0.0, 3), (1.0, 1), (0.2, 1),
                                     (2.5, 1), (0, 1), (0, 1), (0, 1), (7.0, 2), (0, 2), (0.05, 1)]):
        clock.advance(gap)
        now = clock.now()
        got = await redis_store.decide(keys, rules, cost, now, f"m{i}")
        want = await memory.decide(keys, rules, cost, now, f"m{i}")
        assert got.allowed == want.allowed, i
        assert got.retry_after == pytest.approx(want.retry_after, abs=1e-5), i
        assert [s.remaining for s in got.statuses] == [s.remaining for s in want.statuses], i
        if i % 3 == 0:
            await redis_store.release(keys[2:], f"m{i}")
            await memory.release(keys[2:], f"m{i}")


@pytest.mark.anyio
async def test_keys_live_under_the_state_prefix_and_expire(state: StateBackend) -> None:
    limiter = policy(FakeClock(), state, key="subject", rate="10/minute", quota="100/day")
    assert await limiter.on_request(make_exchange()) is None
    keys = [k.decode() async for k in state.redis.scan_iter(match=state.prefix + "*")]
    assert len(keys) == 2 and all(k.startswith(state.prefix + "rl:orders:") for k in keys)
    for k in keys:
        assert 0 < await state.redis.pttl(k) <= 86_401_000


@pytest.mark.anyio
async def test_concurrency_slots_are_released_through_redis(state: StateBackend) -> None:
    limiter = policy(FakeClock(), state, concurrency=1)
    first, second = make_exchange(), make_exchange()
    first.request_id, second.request_id = "a", "b"
    assert await limiter.on_request(first) is None
    assert (await limiter.on_request(second)) is not None
    await limiter.on_complete(first)
    assert await limiter.on_request(second) is None


WORKER = textwrap.dedent(
    """
    import json, sys, time, anyio
    from bastion.chain.policy import PolicyDeps
    from bastion.policies.rate_limit import RateLimitConfig, RateLimitPolicy
    from bastion.state import build_state
    from bastion.testing.exchange import make_exchange

    prefix, duration, raw = sys.argv[1], float(sys.argv[2]), sys.argv[3]

    async def main():
        state = build_state("redis://127.0.0.1:6379/0", prefix=prefix)
        p = RateLimitPolicy(RateLimitConfig.model_validate_json(raw), PolicyDeps(services={"state": state},
                            route_id="shared"))
        await state.redis.ping()
        print("ready", flush=True)
        start_at = float(sys.stdin.readline())
        admitted = attempts = 0
        while time.time() < start_at:
            await anyio.sleep(0.001)
        first = time.time()
        while time.time() < start_at + duration:
            attempts += 1
            admitted += await p.on_request(make_exchange(client_ip="192.0.2.1")) is None
        print(json.dumps({"admitted": admitted, "attempts": attempts, "first": first, "last": time.time()}))
        await state.redis.aclose()

    anyio.run(main)
    """
)


def run_three(prefix: str, raw: dict[str, Any], duration: float) -> list[dict[str, float]]:
    """Start three worker processes, wait until each is connected, then release them together."""
    argv = [sys.executable, "-c", WORKER, prefix, str(duration), json.dumps(raw)]
    procs = [subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(3)]
    outputs = []
    try:
        for proc in procs:
            assert proc.stdout is not None
            assert proc.stdout.readline() == b"ready\n"
        start_at = f"{time.time() + 0.3}\n".encode()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(start_at)
            proc.stdin.close()
            proc.stdin = None  # communicate() must not flush the closed pipe
        for proc in procs:
            outputs.append((proc.communicate(timeout=60), proc.returncode))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            if proc.stdin is not None:
                proc.stdin.close()
                proc.stdin = None
            proc.communicate()
    for (out, err), code in outputs:
        assert code == 0, err.decode()
    return [json.loads(out) for (out, _), _ in outputs]


def test_three_processes_sharing_redis_hold_the_global_rate_within_5_percent(shared_prefix: str) -> None:
    rate, burst = 100, 50  # a burst of 0.5 s: a short CPU stall of all three workers loses no capacity
    results = run_three(shared_prefix, {"rate": f"{rate}/second", "burst": burst}, duration=2.0)
    admitted = sum(int(r["admitted"]) for r in results)
    attempts = sum(int(r["attempts"]) for r in results)
    span = max(r["last"] for r in results) - min(r["first"] for r in results)
    ceiling = burst + rate * span
    assert attempts > 2 * ceiling, "the clients did not saturate the limit; the test proves nothing"
    assert 0.95 * ceiling <= admitted <= 1.05 * ceiling, (admitted, ceiling, attempts)


def test_three_processes_sharing_redis_never_exceed_a_quota(shared_prefix: str) -> None:
    results = run_three(shared_prefix, {"quota": "300/hour"}, duration=1.0)
    assert sum(int(r["admitted"]) for r in results) == 300
    assert all(int(r["admitted"]) < int(r["attempts"]) for r in results)


GATEWAY = """\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
state: "redis://127.0.0.1:6379/0"
upstreams:
  up: {{url: "http://127.0.0.1:{port}"}}
routes:
  - id: shared
    match: {{prefix: /}}
    upstream: up
    public: true
    policies:
      - rate_limit: {{key: route, quota: 30/hour, scope: "{scope}"}}
"""


def test_three_gateways_configured_with_redis_share_one_quota(tmp_path: Path) -> None:
    import redis

    scope = f"test-{uuid.uuid4().hex[:10]}"
    lt = LoopThread()
    upstream = RecordingUpstream(lt).start()
    gateways = []
    try:
        for i in range(3):
            folder = tmp_path / f"gw{i}"
            folder.mkdir()
            gateways.append(GatewayThread(lt, folder, GATEWAY.format(port=upstream.port, scope=scope)).start())

        def hammer(port: int) -> list[int]:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30.0) as c:
                return [c.get("/x").status_code for _ in range(20)]

        with ThreadPoolExecutor(3) as pool:
            codes = [c for result in pool.map(hammer, [g.port for g in gateways]) for c in result]
        assert codes.count(200) == 30 and codes.count(429) == 30
        assert len(upstream.requests) == 30
    finally:
        for gw in gateways:
            gw.stop()
        upstream.stop()
        lt.stop()
        client = redis.Redis.from_url(REDIS)
        keys = list(client.scan_iter(match=f"bastion:rl:{scope}:*"))
        if keys:
            client.delete(*keys)
        client.close()
    assert keys, "the gateways kept their counters somewhere other than Redis"


def unreachable() -> StateBackend:
    with socket.socket() as s:  # a port nothing listens on: connections are refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return build_state(f"redis://127.0.0.1:{port}/0", prefix="test-rl-down:")


@pytest.mark.anyio
async def test_unreachable_redis_fail_closed_answers_503(caplog: pytest.LogCaptureFixture) -> None:
    state = unreachable()
    clock = FakeClock()
    limiter = policy(clock, state, rate="100/second", on_store_error="fail_closed")
    for _ in range(3):
        problem = await limiter.on_request(make_exchange())
        assert problem is not None and problem.status == 503
        assert "6379" not in (problem.detail or "") and "redis" not in (problem.detail or "")
    assert limiter.store_errors == 3
    assert any("failing closed" in r.getMessage() for r in caplog.records)
    await state.redis.aclose()


@pytest.mark.anyio
async def test_unreachable_redis_falls_back_to_local_limits(caplog: pytest.LogCaptureFixture) -> None:
    state = unreachable()
    limiter = policy(FakeClock(), state, rate="100/second", fallback_limits=[{"rate": "3/minute"}])
    results = [await limiter.on_request(make_exchange()) for _ in range(6)]
    assert [r is None for r in results] == [True] * 3 + [False] * 3
    assert all(r.status == 429 for r in results if r is not None)
    assert limiter.store_errors == 6
    assert any("local fallback limits" in r.getMessage() for r in caplog.records)
    await state.redis.aclose()
