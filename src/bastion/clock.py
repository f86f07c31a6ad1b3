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
    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


SYSTEM_CLOCK = SystemClock()
