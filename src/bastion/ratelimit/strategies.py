"""Rate-limit math, pure: every function takes the time and the stored state and returns the new state.

Three kinds of rule, all measured in *units* (a request costs ``cost`` units, 1 by default):

``Gcra``        the generic cell rate algorithm (a token bucket stored as one number, the theoretical
                arrival time ``tat``). ``count`` units per ``period`` seconds, at most ``burst`` at once.
                Invariant: over any interval of length ``w`` it admits at most ``burst + w * count / period``
                units.
``Window``      a fixed calendar window (daily quota: ``period = 86400``, aligned to the epoch, i.e. UTC
                days). Invariant: at most ``count`` units in each window.
``Concurrency`` at most ``count`` requests in flight; released by the caller when the exchange completes.

``decide`` checks every rule and admits only when all admit; only then does any state change (so a
request refused by one limit does not consume another). ``ratelimit/redis.py`` runs the same math in
one Lua script; ``tests/integration/test_ratelimit_redis.py`` checks that both agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

EPSILON = 1e-6
"""Seconds of float slack: epoch times near 1.8e9 have a resolution of about 2.4e-7 s."""


@dataclass(frozen=True, slots=True)
class Gcra:
    count: int
    period: float
    burst: int

    @property
    def interval(self) -> float:
        """Seconds one unit takes to replenish (the emission interval)."""
        return self.period / self.count


@dataclass(frozen=True, slots=True)
class Window:
    count: int
    period: float

    def index(self, now: float) -> int:
        return math.floor(now / self.period)


@dataclass(frozen=True, slots=True)
class Concurrency:
    count: int
    lease: float = 300.0
    """Seconds after which an unreleased slot is reclaimed (a crashed instance never leaks slots forever)."""


Rule = Gcra | Window | Concurrency


@dataclass(frozen=True, slots=True)
class LimitStatus:
    """What the ``RateLimit`` header reports for one rule."""

    remaining: int
    reset: float
    """Seconds until the rule is fully replenished (0 when already full)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    allowed: bool
    retry_after: float
    """Seconds to wait before the same request could be admitted (0 when allowed)."""
    statuses: tuple[LimitStatus, ...]


def gcra_check(rule: Gcra, tat: float, cost: int, now: float) -> tuple[bool, float, float, LimitStatus]:
    """Return (allowed, retry_after, new_tat, status) for one GCRA rule; ``tat`` 0 means a fresh key."""
    t = rule.interval
    capacity = rule.burst * t
    new_tat = max(tat, now) + cost * t
    ahead = new_tat - now
    if ahead <= capacity + EPSILON:
        return True, 0.0, new_tat, LimitStatus(int((capacity - ahead) / t + EPSILON), ahead)
    held = max(tat, now) - now
    retry = ahead - capacity if cost <= rule.burst else rule.period
    return False, retry, tat, LimitStatus(int(max(capacity - held, 0.0) / t + EPSILON), held)


def window_check(rule: Window, used: int, cost: int, now: float) -> tuple[bool, float, int, LimitStatus]:
    """Return (allowed, retry_after, new_used, status); ``used`` is the count in the current window."""
    reset = (rule.index(now) + 1) * rule.period - now
    if used + cost <= rule.count:
        return True, 0.0, used + cost, LimitStatus(rule.count - used - cost, reset)
    return False, reset, used, LimitStatus(max(rule.count - used, 0), reset)


def concurrency_check(rule: Concurrency, in_flight: int) -> tuple[bool, float, LimitStatus]:
    if in_flight < rule.count:
        return True, 0.0, LimitStatus(rule.count - in_flight - 1, 0.0)
    return False, 1.0, LimitStatus(0, 0.0)


def combine(checks: Sequence[tuple[bool, float, LimitStatus]]) -> Outcome:
    """All rules must admit; the wait is the longest wait of the refusing rules."""
    allowed = all(ok for ok, _, _ in checks)
    retry = 0.0 if allowed else max(r for ok, r, _ in checks if not ok)
    return Outcome(allowed, retry, tuple(s for _, _, s in checks))


def parse_rate(text: str) -> tuple[int, float]:
    """``"100/minute"``, ``"10/s"``, ``"5000/day"``, ``"20/30s"`` → (count, period seconds)."""
    count_s, sep, unit = text.strip().partition("/")
    if not sep or not count_s.strip().isdigit() or int(count_s) <= 0:
        raise ValueError(f"rate must look like '100/minute', got {text!r}")
    unit = unit.strip().lower()
    digits = ""
    while unit and (unit[0].isdigit() or unit[0] == "."):
        digits, unit = digits + unit[0], unit[1:]
    try:
        base = UNITS[unit.strip()]
    except KeyError:
        raise ValueError(f"unknown rate unit {unit!r}; use one of {', '.join(sorted(UNITS))}") from None
    multiplier = float(digits) if digits else 1.0
    if multiplier <= 0:
        raise ValueError(f"rate period must be positive, got {text!r}")
    return int(count_s), base * multiplier


UNITS: dict[str, float] = {
    "s": 1.0, "sec": 1.0, "second": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
}
