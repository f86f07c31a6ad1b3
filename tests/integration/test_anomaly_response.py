"""Integration: alert responses over real sockets and real Redis — signed webhooks retried with backoff
against a local receiver, blocks shared through Redis with a TTL, the guard rejecting blocked clients,
and every block and alert on the audit log."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import orjson
import pytest
import redis.asyncio as aioredis
import uvicorn

from bastion.anomaly.blocklist import Block, RedisBlocklist
from bastion.anomaly.webhook import WebhookSender, WebhookTarget, verify
from bastion.clock import SYSTEM_CLOCK
from bastion.observability.factory import build_monitoring
from bastion.state import StateBackend
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange
from bastion.webapp import AppRequest, AppResponse
from bastion.webapp.asgi import to_asgi

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
SECRET = b"webhook-secret-for-tests"


class Receiver:
    """A webhook receiver that fails the first ``failures`` deliveries with 503."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[tuple[str, str, bytes]] = []
        self.attempts = 0

    async def handle(self, request: AppRequest) -> AppResponse:
        self.attempts += 1
        if self.attempts <= self.failures:
            return AppResponse(503)
        self.received.append((request.headers.get("x-bastion-timestamp") or "",
                              request.headers.get("x-bastion-signature") or "", request.body))
        return AppResponse(204)


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, Receiver]]:
    app = Receiver(failures=2)
    server = _Server(uvicorn.Config(to_asgi(app), host="127.0.0.1", port=0, log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}/hook", app
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
async def state() -> AsyncIterator[StateBackend]:
    client = aioredis.Redis.from_url("redis://127.0.0.1:6379/0")
    prefix = f"bastion-test-{uuid.uuid4().hex[:8]}:"
    yield StateBackend("redis://127.0.0.1:6379/0", client, prefix)
    async for key in client.scan_iter(match=prefix + "*"):
        await client.delete(key)
    await client.aclose()


async def test_webhook_is_signed_and_retried_until_delivered(receiver: tuple[str, Receiver]) -> None:
    url, app = receiver
    sender = WebhookSender([WebhookTarget(url, SECRET, timeout=2.0, retries=4)], backoff=0.05)
    await sender.start()
    sender.send({"type": "bastion.alert", "alert": {"detector": "scanning"}})
    await sender.stop(drain_timeout=5)
    assert app.attempts == 3 and sender.delivered == 1
    ts, sig, body = app.received[0]
    assert verify(SECRET, ts, body, sig)
    assert not verify(b"another-secret", ts, body, sig)
    assert not verify(SECRET, str(int(ts) + 1), body, sig)  # the timestamp is signed too
    assert orjson.loads(body)["alert"]["detector"] == "scanning"


async def test_webhook_gives_up_after_retries_without_blocking(receiver: tuple[str, Receiver]) -> None:
    url, app = receiver
    app.failures = 100
    sender = WebhookSender([WebhookTarget(url, SECRET, retries=1)], backoff=0.01)
    await sender.start()
    started = time.monotonic()
    sender.send({"n": 1})  # returns at once: delivery happens in the background
    assert time.monotonic() - started < 0.01
    await sender.stop(drain_timeout=5)
    assert sender.failed == 1 and app.attempts == 2


async def test_redis_blocklist_expires_and_lifts(state: StateBackend) -> None:
    bl = RedisBlocklist(state.redis, state.prefix, SYSTEM_CLOCK, cache_ttl=0.0)
    now = time.time()
    await bl.add(Block("ip:203.0.113.4", "test", now, now + 0.3))
    await bl.add(Block("sub:eve", "test", now, now + 60))
    assert {b.key for b in await bl.list()} == {"ip:203.0.113.4", "sub:eve"}
    other_instance = RedisBlocklist(state.redis, state.prefix, SYSTEM_CLOCK, cache_ttl=0.0)
    assert (await other_instance.get("sub:eve")) is not None
    await asyncio.sleep(0.4)
    assert await bl.get("ip:203.0.113.4") is None  # Redis TTL
    assert await other_instance.lift("sub:eve") and await bl.get("sub:eve") is None


async def test_auth_failure_burst_blocks_the_ip_through_redis_and_audits_it(tmp_path: Path,
                                                                            state: StateBackend) -> None:
    clock = FakeClock(time.time())
    anomaly = {"detectors": {"auth_failures": {"block_for": "10m"}}, "blocklist": {"cache_ttl": 0}}
    mon = build_monitoring(audit={"sink": f"sqlite:///{tmp_path}/a.db"}, access_log={"enabled": False}, anomaly=anomaly,
                           admin_token="t" * 32, state=state, clock=clock, base_dir=tmp_path)
    await mon.start()
    assert mon.guard is not None
    assert await mon.guard.check("203.0.113.50") is None
    for _ in range(12):  # credential stuffing
        clock.advance(1)
        ex = make_exchange("POST", "/login", route_id="login", client_ip="203.0.113.50", response_status=401,
                           received_at=clock.now())
        mon.observer.observe(ex)
    for _ in range(50):
        await asyncio.sleep(0.01)
        if await state.redis.exists(state.prefix + "block:ip:203.0.113.50"):
            break
    problem = await mon.guard.check("203.0.113.50")
    assert problem is not None and problem.status == 403
    assert 590 <= int(dict(problem.headers)["retry-after"]) <= 600
    assert await mon.guard.check("203.0.113.51") is None
    await mon.guard.check("203.0.113.50")  # a second rejection within a minute: counted, not re-audited
    await mon.stop()
    assert mon.audit_log is not None
    records = await mon.audit_log.sink.read_all()
    await mon.audit_log.sink.close()
    kinds = [r.kind for r in records]
    assert kinds.count("anomaly.alert") == 1 and kinds.count("block.added") == 1
    assert kinds.count("block.rejected") == 1
    assert "bastion_anomaly_alerts_total{detector=\"auth_failures\",severity=\"high\"} 1.0" in \
        mon.metrics.exposition().decode()
