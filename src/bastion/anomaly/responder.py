"""What happens when an alert is raised: count it, audit it, post it to webhooks, and block if configured.

The responder is an ``AlertSink`` (synchronous). A block is written to the blocklist right away for
memory, or by a task on the running loop for Redis; the block itself goes on the audit log.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bastion.anomaly.blocklist import Block, Blocklist, MemoryBlocklist
from bastion.anomaly.model import Alert
from bastion.anomaly.webhook import WebhookSender

if TYPE_CHECKING:
    from bastion.observability.metrics import GatewayMetrics
    from bastion.observability.trail import AuditTrail

log = logging.getLogger("bastion.anomaly")


class AlertResponder:
    def __init__(self, trail: AuditTrail, metrics: GatewayMetrics, blocklist: Blocklist | None,
                 webhooks: WebhookSender | None, block_seconds: dict[str, float]) -> None:
        self.trail, self.metrics, self.blocklist, self.webhooks = trail, metrics, blocklist, webhooks
        self.block_seconds = block_seconds
        self._tasks: set[asyncio.Task[None]] = set()

    def __call__(self, alert: Alert) -> None:
        self.metrics.alerts.labels(alert.detector, alert.severity).inc()
        self.trail.alert(alert)
        if self.webhooks is not None:
            self.webhooks.send({"type": "bastion.alert", "alert": alert.to_dict()})
        seconds = self.block_seconds.get(alert.detector, 0.0)
        if seconds > 0 and self.blocklist is not None and alert.identity != "*":
            block = Block(alert.identity, f"{alert.detector} alert {alert.id}", alert.detected_at,
                          alert.detected_at + seconds, f"anomaly:{alert.detector}")
            self._apply(block)

    def _apply(self, block: Block) -> None:
        if isinstance(self.blocklist, MemoryBlocklist):
            self.blocklist.add_now(block)
            self.trail.block_added(block)
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            log.warning("no event loop: block for %s not applied", block.source)
            return
        task = loop.create_task(self._add(block))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _add(self, block: Block) -> None:
        assert self.blocklist is not None
        try:
            await self.blocklist.add(block)
        except Exception:
            log.exception("could not store block (%s)", block.source)
            return
        self.trail.block_added(block)
