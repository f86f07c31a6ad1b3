"""The audit writer: accepts events on the request path without I/O, writes them in batches.

``emit(kind, data)`` only appends to a bounded deque (call it on the event loop). A background task
wakes ``flush_interval`` after the first pending event (or as soon as a batch is full), chains the
pending events onto the previous record, appends a signed checkpoint and stores the batch in one
transaction. With nothing pending it sleeps without a timer: a gateway whose traffic raises no audit
event pays nothing for the writer (decision 0005). The chain state only
advances after the commit, so a failed write is retried with the same records.

Guarantees: ``stop()`` (SIGTERM) drains everything accepted; after ``kill -9`` the file holds whole
batches only, each ending with its checkpoint, so what remains verifies and at most the events
accepted since the last commit (bounded by ``max_pending``) are missing.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.observability.audit.record import (
    CHECKPOINT,
    GENESIS,
    GENESIS_PREV,
    AuditRecord,
    checkpoint_message,
    make_record,
)
from bastion.observability.audit.signing import CheckpointSigner
from bastion.observability.audit.sink import AuditSink

log = logging.getLogger("bastion.audit")


class AuditLog:
    def __init__(self, sink: AuditSink, signer: CheckpointSigner, chain_id: str, *, clock: Clock = SYSTEM_CLOCK,
                 batch_size: int = 256, flush_interval: float = 0.2, max_pending: int = 10_000,
                 on_commit: Callable[[AuditRecord], None] | None = None) -> None:
        self.sink, self.signer, self.chain_id, self.clock = sink, signer, chain_id, clock
        self.batch_size, self.flush_interval, self.max_pending = batch_size, flush_interval, max_pending
        self.on_commit = on_commit
        self._queue: deque[tuple[float, str, dict[str, Any]]] = deque()
        self._prev, self._seq = GENESIS_PREV, 0
        self._inflight: list[tuple[float, str, dict[str, Any]]] | None = None
        self._wake: asyncio.Event | None = None
        self._idle = False
        """The writer waits, without a timer, for the first event of the next batch."""
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.dropped = self._dropped_unrecorded = 0
        self.written = self.write_errors = 0
        self.last_checkpoint: AuditRecord | None = None

    @property
    def depth(self) -> int:
        return len(self._queue)

    def emit(self, kind: str, data: dict[str, Any]) -> None:
        """Accept one event. Never blocks and never raises; beyond ``max_pending`` the event is dropped."""
        if len(self._queue) >= self.max_pending:
            self.dropped += 1
            self._dropped_unrecorded += 1
            return
        self._queue.append((self.clock.now(), kind, data))
        if self._wake is not None and (self._idle or len(self._queue) >= self.batch_size):
            self._idle = False
            self._wake.set()

    async def start(self) -> None:
        await self.sink.open()
        tail = await self.sink.tail(self.chain_id)
        if tail is not None and tail.kind == CHECKPOINT and tail.payload().get("key_id") != self.signer.key_id:
            self.chain_id = f"{self.chain_id}.{self.signer.key_id[:8]}"
            log.warning("audit signing key changed: continuing in a new chain %s", self.chain_id)
            tail = await self.sink.tail(self.chain_id)
        if tail is None:
            self._queue.appendleft((self.clock.now(), GENESIS, {
                "public_key": self.signer.public_text, "key_id": self.signer.key_id, "algorithm": "Ed25519"}))
        else:
            self._prev, self._seq = tail.hash, tail.seq
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="bastion-audit-writer")

    async def _run(self) -> None:
        assert self._wake is not None
        backoff = self.flush_interval
        while not self._stopping:
            if not (self._queue or self._inflight or self._dropped_unrecorded):
                self._idle = True
                await self._wake.wait()  # emit() on the first event, or stop()
                self._wake.clear()
                self._idle = False
                if self._stopping:
                    break
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                while self._queue or self._inflight or self._dropped_unrecorded:
                    await self.flush_once()
                    if len(self._queue) < self.batch_size:
                        break
                backoff = self.flush_interval
            except Exception:
                self.write_errors += 1
                backoff = min(max(backoff * 2, 0.05), 5.0)
                log.exception("audit write failed; retrying in %.1fs", backoff)

    async def flush_once(self) -> None:
        """Write one batch (the retried one first). Raises if the sink fails; nothing is lost then.

        If another writer appended to this chain meanwhile (a reload's new writer, or two instances
        misconfigured with one chain id), the insert conflicts; the batch is then re-chained onto the
        stored tail and retried, so the chain stays linear instead of forking.
        """
        if self._inflight is None:
            self._inflight = self._take_events()
        if not self._inflight:
            self._inflight = None
            return
        batch = self._chain(self._inflight)
        try:
            await self.sink.append(batch)
        except Exception:
            tail = await self.sink.tail(self.chain_id)
            if tail is not None and tail.hash != self._prev:
                self._prev, self._seq = tail.hash, tail.seq
            raise
        self._inflight = None
        self._prev, self._seq = batch[-1].hash, batch[-1].seq
        self.written += len(batch)
        self.last_checkpoint = batch[-1]
        if self.on_commit is not None:
            self.on_commit(batch[-1])

    def _take_events(self) -> list[tuple[float, str, dict[str, Any]]]:
        events = [self._queue.popleft() for _ in range(min(self.batch_size, len(self._queue)))]
        if self._dropped_unrecorded:
            events.append((self.clock.now(), "audit.dropped", {"count": self._dropped_unrecorded}))
            self._dropped_unrecorded = 0
        return events

    def _chain(self, events: list[tuple[float, str, dict[str, Any]]]) -> list[AuditRecord]:
        records: list[AuditRecord] = []
        prev, seq = self._prev, self._seq
        for ts, kind, data in events:
            if kind == GENESIS and seq > 0:
                continue  # someone else started this chain first
            seq += 1
            rec = make_record(self.chain_id, seq, ts, kind, data, prev)
            records.append(rec)
            prev = rec.hash
        sig = self.signer.sign(checkpoint_message(self.chain_id, seq, prev))
        records.append(make_record(self.chain_id, seq + 1, self.clock.now(), CHECKPOINT, {
            "covered_seq": seq, "covered_hash": prev, "key_id": self.signer.key_id, "sig": sig}, prev))
        return records

    async def stop(self) -> None:
        """Drain everything accepted, then close the sink (call on SIGTERM / shutdown)."""
        if self._task is not None:
            self._stopping = True
            assert self._wake is not None
            self._wake.set()
            await self._task  # finishes the batch in flight; never cancelled mid-commit
            self._task = None
        while self._queue or self._inflight or self._dropped_unrecorded:
            await self.flush_once()
        await self.sink.close()
