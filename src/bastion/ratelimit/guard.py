"""What happens when the shared store is down: fail closed, or fall back to local limits.

``GuardedStore`` wraps the primary ``CounterStore``. When a decision raises ``StoreUnavailable`` it
logs (the first failure, then at most once per ``LOG_EVERY`` seconds, with a count — an outage must
not flood the log), counts (``bastion_ratelimit_store_errors_total`` and ``.errors``) and opens a short
circuit breaker (``cooldown`` seconds) so that requests during an outage do not each wait for a
connect timeout. Then, with a fallback store, the request is decided locally (each instance enforcing
the fallback limits on its own); without one, the caller answers 503.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from prometheus_client import Counter

from bastion.clock import Clock
from bastion.ratelimit.store import CounterStore, StoreUnavailable
from bastion.ratelimit.strategies import Outcome, Rule

log = logging.getLogger("bastion.ratelimit")

STORE_ERRORS = Counter(
    "bastion_ratelimit_store_errors_total",
    "Rate-limit decisions the shared store could not make",
    ["backend", "action"],
)
LOG_EVERY = 30.0


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome | None
    """None: the store is unavailable and there is no fallback (fail closed)."""
    store: CounterStore | None
    """The store that decided (release concurrency slots there)."""
    rules: Sequence[Rule]
    """The rules that were applied (the fallback ones after a failure)."""


class GuardedStore:
    def __init__(
        self, primary: CounterStore, fallback: CounterStore | None, clock: Clock, cooldown: float = 1.0
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.errors = 0
        self._clock = clock
        self._cooldown = cooldown
        self._open_until = 0.0
        self._logged_at = -LOG_EVERY
        self._unlogged = 0

    async def decide(
        self,
        keys: Sequence[str],
        rules: Sequence[Rule],
        fallback_rules: Sequence[Rule],
        cost: int,
        now: float,
        member: str,
    ) -> Verdict:
        if self._clock.monotonic() >= self._open_until:
            try:
                return Verdict(await self.primary.decide(keys, rules, cost, now, member), self.primary, rules)
            except StoreUnavailable as exc:
                self._failed(exc)
        else:
            self._count()
        if self.fallback is None:
            return Verdict(None, None, rules)
        outcome = await self.fallback.decide(keys, fallback_rules, cost, now, member)
        return Verdict(outcome, self.fallback, fallback_rules)

    async def release(self, store: CounterStore, keys: Sequence[str], member: str) -> None:
        try:
            await store.release(keys, member)
        except StoreUnavailable as exc:  # the slot's lease reclaims it; note and move on
            self._failed(exc)

    def _failed(self, exc: StoreUnavailable) -> None:
        self._open_until = self._clock.monotonic() + self._cooldown
        self._count()
        now = self._clock.monotonic()
        if now - self._logged_at >= LOG_EVERY:
            action = "local fallback limits" if self.fallback is not None else "failing closed (503)"
            log.warning("%s; %s (%d more failures since the last report)", exc, action, self._unlogged)
            self._logged_at = now
            self._unlogged = 0
        else:
            self._unlogged += 1

    def _count(self) -> None:
        self.errors += 1
        action = "fallback" if self.fallback is not None else "fail_closed"
        STORE_ERRORS.labels(self.primary.kind, action).inc()
