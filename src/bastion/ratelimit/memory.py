"""MemoryCounterStore: rate-limit state in this process (the default; also the Redis fallback).

Decisions are atomic because ``decide`` never awaits between reading and writing. Expired entries
are swept every ``SWEEP_EVERY`` decisions, so keys an attacker rotates through (IPs, tokens) do not
accumulate; ``max_keys`` bounds memory even before expiry (oldest keys go first).
"""

from __future__ import annotations

from collections.abc import Sequence

from bastion.ratelimit.store import storage_key
from bastion.ratelimit.strategies import (
    Concurrency,
    Gcra,
    LimitStatus,
    Outcome,
    Rule,
    Window,
    combine,
    concurrency_check,
    gcra_check,
    window_check,
)

SWEEP_EVERY = 10_000


class MemoryCounterStore:
    kind = "memory"

    def __init__(self, max_keys: int = 1_000_000) -> None:
        self._values: dict[str, float] = {}
        """GCRA tat or window count, by storage key."""
        self._expiry: dict[str, float] = {}
        self._in_flight: dict[str, dict[str, float]] = {}
        self._max_keys = max_keys
        self._ops = 0

    def __len__(self) -> int:
        return len(self._values) + len(self._in_flight)

    async def decide(
        self, keys: Sequence[str], rules: Sequence[Rule], cost: int, now: float, member: str
    ) -> Outcome:
        self._ops += 1
        if self._ops % SWEEP_EVERY == 0 or len(self._values) >= self._max_keys:
            self._sweep(now)
        if len(rules) == 1 and type(rules[0]) is Gcra:  # one rate limit, the common case: no lists to combine
            return self._one_gcra(keys[0], rules[0], cost, now)
        skeys = [storage_key(k, r, now) for k, r in zip(keys, rules, strict=True)]
        checks: list[tuple[bool, float, LimitStatus]] = []
        updates: list[tuple[str, float, float]] = []
        for skey, rule in zip(skeys, rules, strict=True):
            if isinstance(rule, Gcra):
                ok, retry, tat, status = gcra_check(rule, self._current(skey, now), cost, now)
                updates.append((skey, tat, tat))
            elif isinstance(rule, Window):
                ok, retry, used, status = window_check(rule, int(self._current(skey, now)), cost, now)
                updates.append((skey, float(used), (rule.index(now) + 1) * rule.period))
            else:
                slots = self._slots(skey, now)
                ok, retry, status = concurrency_check(rule, len(slots))
            checks.append((ok, retry, status))
        outcome = combine(checks)
        if outcome.allowed:
            for skey, value, expires in updates:
                self._values[skey] = value
                self._expiry[skey] = expires
            for skey, rule in zip(skeys, rules, strict=True):
                if isinstance(rule, Concurrency):
                    self._in_flight.setdefault(skey, {})[member] = now + rule.lease
        return outcome

    def _one_gcra(self, skey: str, rule: Gcra, cost: int, now: float) -> Outcome:
        """``decide`` for a single GCRA rule: the same state and answer as the general path."""
        ok, retry, tat, status = gcra_check(rule, self._current(skey, now), cost, now)
        if ok:
            self._values[skey] = tat
            self._expiry[skey] = tat
        return Outcome(ok, retry, (status,))

    async def release(self, keys: Sequence[str], member: str) -> None:
        for key in keys:
            slots = self._in_flight.get(key)
            if slots is not None:
                slots.pop(member, None)
                if not slots:
                    del self._in_flight[key]

    def _current(self, skey: str, now: float) -> float:
        if self._expiry.get(skey, 0.0) <= now:
            return 0.0
        return self._values[skey]

    def _slots(self, skey: str, now: float) -> dict[str, float]:
        slots = self._in_flight.get(skey, {})
        for m in [m for m, until in slots.items() if until <= now]:
            del slots[m]
        return slots

    def _sweep(self, now: float) -> None:
        for skey in [k for k, t in self._expiry.items() if t <= now]:
            del self._expiry[skey]
            del self._values[skey]
        overflow = len(self._values) - self._max_keys // 2
        if overflow > 0 and len(self._values) >= self._max_keys:
            for skey in sorted(self._expiry, key=self._expiry.__getitem__)[:overflow]:
                del self._expiry[skey]
                del self._values[skey]
