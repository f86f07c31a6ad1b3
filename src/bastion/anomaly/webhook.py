"""Alert webhooks: a signed POST per alert, retried with backoff, never on the request path.

Headers: ``X-Bastion-Timestamp: <unix seconds>`` and
``X-Bastion-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>``. Receivers recompute
the HMAC with a constant-time compare and reject stale timestamps (replay protection).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from bastion.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger("bastion.anomaly.webhook")


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: bytes, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    secret: bytes
    timeout: float = 5.0
    retries: int = 5

    def __repr__(self) -> str:
        return f"WebhookTarget(url={self.url.split('?')[0]!r})"


class WebhookSender:
    """``send(payload)`` enqueues (drops and counts when the queue is full); a task delivers."""

    def __init__(self, targets: list[WebhookTarget], *, clock: Clock = SYSTEM_CLOCK, max_queue: int = 1000,
                 backoff: float = 0.5, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.targets, self.clock, self.backoff = targets, clock, backoff
        self._queue: asyncio.Queue[tuple[WebhookTarget, bytes]] = asyncio.Queue(max_queue)
        self._transport = transport
        self._task: asyncio.Task[None] | None = None
        self.delivered = self.failed = self.dropped = 0

    def send(self, payload: dict[str, Any]) -> None:
        body = orjson.dumps(payload)
        for target in self.targets:
            try:
                self._queue.put_nowait((target, body))
            except asyncio.QueueFull:
                self.dropped += 1

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="bastion-webhooks")

    async def stop(self, drain_timeout: float = 5.0) -> None:
        if self._task is None:
            return
        try:
            await asyncio.wait_for(self._queue.join(), drain_timeout)
        except TimeoutError:
            pass
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass
        self._task = None

    async def _run(self) -> None:
        async with httpx.AsyncClient(transport=self._transport, follow_redirects=False) as client:
            while True:
                target, body = await self._queue.get()
                try:
                    await self._deliver(client, target, body)
                finally:
                    self._queue.task_done()

    async def _deliver(self, client: httpx.AsyncClient, target: WebhookTarget, body: bytes) -> None:
        delay = self.backoff
        for attempt in range(target.retries + 1):
            ts = str(int(self.clock.now()))
            headers = {"content-type": "application/json", "x-bastion-timestamp": ts,
                       "x-bastion-signature": sign(target.secret, ts, body)}
            try:
                resp = await client.post(target.url, content=body, headers=headers, timeout=target.timeout)
                if resp.status_code < 300:
                    self.delivered += 1
                    return
                if 400 <= resp.status_code < 500 and resp.status_code not in (408, 429):
                    break
            except httpx.HTTPError as exc:
                log.warning("webhook %r attempt %d failed: %s", target, attempt + 1, type(exc).__name__)
            if attempt < target.retries:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
        self.failed += 1
