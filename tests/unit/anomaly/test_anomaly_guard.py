"""Unit: the BlockGuard with the memory blocklist on a FakeClock — IP blocks before routing, identity
blocks after authentication, expiry, Retry-After, and throttled auditing of rejections."""

from __future__ import annotations

import asyncio

import pytest

from bastion.anomaly.blocklist import Block, MemoryBlocklist
from bastion.anomaly.guard import BlockGuard
from bastion.chain.exchange import Principal
from bastion.observability.metrics import GatewayMetrics
from bastion.observability.trail import AuditTrail
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange

pytestmark = pytest.mark.anyio


class RecordingTrail(AuditTrail):
    def __init__(self) -> None:
        super().__init__(None)
        self.events: list[tuple[str, dict[str, object]]] = []

    def emit(self, kind: str, data: dict[str, object]) -> None:
        self.events.append((kind, data))


def setup() -> tuple[BlockGuard, MemoryBlocklist, RecordingTrail, FakeClock]:
    clock = FakeClock()
    blocklist, trail = MemoryBlocklist(clock), RecordingTrail()
    return BlockGuard(blocklist, trail, GatewayMetrics(), clock), blocklist, trail, clock


async def test_blocked_ip_is_rejected_before_routing_until_the_block_expires() -> None:
    guard, blocklist, _, clock = setup()
    blocklist.add_now(Block("ip:203.0.113.9", "scanning", clock.now(), clock.now() + 600, "anomaly:scanning"))
    problem = await guard.check("203.0.113.9")
    assert problem is not None and problem.status == 403 and dict(problem.headers)["retry-after"] == "600"
    assert "scanning" not in (problem.detail or "")  # no detector internals to the client
    assert await guard.check("203.0.113.10") is None
    clock.advance(601)
    assert await guard.check("203.0.113.9") is None


async def test_blocked_subject_is_rejected_after_authentication_only() -> None:
    guard, blocklist, _, clock = setup()
    blocklist.add_now(Block("sub:mallory", "enumeration", clock.now(), clock.now() + 60))
    anonymous = make_exchange(client_ip="198.51.100.1")
    assert await guard.check_identity(anonymous) is None
    authed = make_exchange(client_ip="198.51.100.1", principal=Principal("mallory", "jwt"))
    assert await guard.check("198.51.100.1") is None  # before authentication the subject is unknown
    problem = await guard.check_identity(authed)
    assert problem is not None and problem.status == 403
    other = make_exchange(client_ip="198.51.100.1", principal=Principal("alice", "jwt"))
    assert await guard.check_identity(other) is None


async def test_rejections_are_audited_at_most_once_a_minute_with_a_count() -> None:
    guard, blocklist, trail, clock = setup()
    blocklist.add_now(Block("ip:203.0.113.9", "auth_failures", clock.now(), clock.now() + 600))
    for _ in range(90):
        clock.advance(1)
        await guard.check("203.0.113.9")
    rejected = [d for k, d in trail.events if k == "block.rejected"]
    assert [d["requests"] for d in rejected] == [1, 60]  # the first, then one summary a minute later


async def test_with_no_block_the_check_is_an_already_done_future_and_a_new_block_still_applies() -> None:
    guard, blocklist, _, clock = setup()
    passed = guard.check("203.0.113.9")
    assert isinstance(passed, asyncio.Future) and passed.done() and await passed is None
    authed = make_exchange(client_ip="203.0.113.9", principal=Principal("mallory", "jwt"))
    assert guard.check_identity(authed) is passed  # the same done future: no coroutine per request
    blocklist.add_now(Block("ip:203.0.113.9", "scanning", clock.now(), clock.now() + 600))
    problem = await guard.check("203.0.113.9")
    assert problem is not None and problem.status == 403
    blocklist.add_now(Block("sub:mallory", "enumeration", clock.now(), clock.now() + 60))
    problem = await guard.check_identity(authed)
    assert problem is not None and problem.status == 403
