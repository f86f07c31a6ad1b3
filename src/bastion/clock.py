"""The Clock port. Sans-I/O code takes a Clock; only this module reads the system clock."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Wall-clock seconds since the epoch (for token exp/nbf/iat and timestamps)."""
        ...

    def monotonic(self) -> float:
        """Monotonic seconds (for rate limits, timeouts, caches)."""
        ...


class SystemClock:
    # the C functions themselves (no Python frame per reading: clocks are read several times per request)
    now = staticmethod(time.time)
    monotonic = staticmethod(time.monotonic)


SYSTEM_CLOCK = SystemClock()
