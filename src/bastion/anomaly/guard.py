"""The blocklist check the engine runs before routing (client IP) and after authentication (identity).

A blocked request gets a ``request-blocked`` 403 problem. Rejections are counted per request and
audited at most once per key per ``audit_every`` seconds (with the count), so a blocked attacker
cannot flood the audit log.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from bastion.anomaly.blocklist import Block, Blocklist, MemoryBlocklist
from bastion.anomaly.windows import BoundedMap
from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.http.problem import REQUEST_BLOCKED, Problem
from bastion.observability.events import identity_of

if TYPE_CHECKING:
    from bastion.chain.exchange import Exchange
    from bastion.observability.metrics import GatewayMetrics
    from bastion.observability.trail import AuditTrail


class BlockGuard:
    def __init__(self, blocklist: Blocklist, trail: AuditTrail, metrics: GatewayMetrics,
                 clock: Clock = SYSTEM_CLOCK, audit_every: float = 60.0) -> None:
        self.blocklist, self.trail, self.metrics, self.clock = blocklist, trail, metrics, clock
        self.audit_every = audit_every
        self._seen: BoundedMap[list[float]] = BoundedMap(10_000, list)
        self._memory = blocklist if isinstance(blocklist, MemoryBlocklist) else None
        """The in-process blocklist, read synchronously on the request path (Redis needs the await)."""
        self._none: asyncio.Future[Problem | None] | None = None

    def check(self, client_ip: str, identity: str | None = None, route: str = "-") -> Awaitable[Problem | None]:
        """Await it: None to continue, or the 403 problem to send. ``identity`` as ``identity_of`` names it.

        While the in-process blocklist holds no block (nearly always) this returns a future that is
        already done, so the request path creates and runs no coroutine for the check."""
        memory = self._memory
        if memory is not None and not memory.blocking:
            return self._passed()
        return self._check(client_ip, identity, route)

    async def _check(self, client_ip: str, identity: str | None, route: str) -> Problem | None:
        memory = self._memory
        if memory is not None:  # looked up without awaiting
            block = memory.get_now("ip:" + client_ip)
            if block is None and identity is not None and identity != "ip:" + client_ip:
                block = memory.get_now(identity)
        else:
            block = await self.blocklist.get("ip:" + client_ip)
            if block is None and identity is not None and identity != "ip:" + client_ip:
                block = await self.blocklist.get(identity)
        return None if block is None else self._reject(block, client_ip, route)

    def check_identity(self, ex: Exchange) -> Awaitable[Problem | None]:
        """After authentication: await it for None, or the 403 problem when the authenticated identity is
        blocked.

        Call once ``ex.principal`` is set (after the request phase's authentication policies, before
        forwarding): blocks on ``sub:``/``client:``/``key:`` identities are enforced only here.
        """
        if ex.principal is None or (self._memory is not None and not self._memory.blocking):
            return self._passed()
        return self._check_identity(ex)

    async def _check_identity(self, ex: Exchange) -> Problem | None:
        block = await self.blocklist.get(identity_of(ex))
        return None if block is None else self._reject(block, ex.request.client_ip, ex.route.route_id)

    def _passed(self) -> asyncio.Future[Problem | None]:
        """A future already done with None, one per event loop."""
        loop = asyncio.get_running_loop()
        passed = self._none
        if passed is None or passed.get_loop() is not loop:
            passed = self._none = loop.create_future()
            passed.set_result(None)
        return passed

    def _reject(self, block: Block, client_ip: str, route: str) -> Problem:
        self.metrics.blocks.labels("blocklist", block.source[:64]).inc()
        state = self._seen.get(block.key)  # [last audited at, rejections since]
        if not state:
            state.extend([float("-inf"), 0.0])
        state[1] += 1
        now = self.clock.now()
        if now - state[0] >= self.audit_every:
            self.trail.block_rejected(block, client_ip, route, int(state[1]))
            state[0], state[1] = now, 0.0
        return REQUEST_BLOCKED.problem("this client is temporarily blocked", headers=(
            ("retry-after", str(max(1, int(block.until - self.clock.now())))),))
