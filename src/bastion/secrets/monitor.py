"""The gateway's periodic rotation check: overdue and soon-due secrets on the audit log and in metrics.

``RotationMonitor.start()`` checks once at once and then every ``refresh`` seconds in a background task.
Each check reads the store's metadata (names, versions, dates, policies; never a value) into a
snapshot that the metrics collector assesses at scrape time, so ages and countdowns are current
between checks. Audit events are written at the first check and then at most once per
``audit_every`` (hourly by default), one ``secret.rotation_due`` event per overdue or soon-due secret.
A failed check is logged and keeps the last snapshot; it never stops the gateway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any, Protocol

from bastion.clock import Clock
from bastion.secrets.model import RotationPolicy, SecretMeta
from bastion.secrets.rotation import AUDIT_KIND, RotationStatus, assess_all, audit_events, metric_samples
from bastion.secrets.store import SecretStore

log = logging.getLogger("bastion.secrets")


class EventSink(Protocol):
    def emit(self, kind: str, data: dict[str, Any]) -> None: ...


class RotationMonitor:
    def __init__(self, store: SecretStore, clock: Clock, trail: EventSink | None = None, *,
                 refresh: float = 60.0, audit_every: float = 3600.0) -> None:
        self.store, self.clock, self.trail = store, clock, trail
        self.refresh, self.audit_every = refresh, audit_every
        self._current: Sequence[SecretMeta] = ()
        self._policies: dict[str, RotationPolicy] = {}
        self._last_audit: float | None = None
        self._task: asyncio.Task[None] | None = None
        self.failures = 0

    async def start(self) -> None:
        await self.check()
        self._task = asyncio.create_task(self._run(), name="bastion-secret-rotation-check")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def check(self) -> None:
        """Re-read the store's metadata; write audit events when the last ones are ``audit_every`` old."""
        try:
            self._current = await self.store.current()
            self._policies = await self.store.policies()
        except Exception as exc:
            self.failures += 1
            log.warning("secret rotation check failed (%s); keeping the last state", type(exc).__name__)
            return
        now = self.clock.now()
        if self.trail is not None and (self._last_audit is None or now - self._last_audit >= self.audit_every):
            for event in audit_events(self.statuses(now), now):
                self.trail.emit(AUDIT_KIND, event)
            self._last_audit = now

    def statuses(self, now: float) -> list[RotationStatus]:
        """The last snapshot assessed at ``now`` (pure, cheap: safe to call from a scrape)."""
        return assess_all(self._current, self._policies, self.store.default_policy, now)

    def samples(self) -> list[tuple[str, dict[str, str], float]]:
        now = self.clock.now()
        return metric_samples(self.statuses(now), now)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.refresh)
            await self.check()
