"""Live traffic statistics for the dashboard, in bounded memory.

Per-second buckets in a ring (the last ``seconds``): requests, errors (5xx), blocks, and up to
``samples`` latency samples per second for percentiles. Top identities and routes are counted in
per-minute buckets, each capped at ``max_keys`` distinct keys (later keys are not counted that minute).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class _Second:
    t: int = -1
    requests: int = 0
    errors: int = 0
    blocks: int = 0
    latencies: list[float] = field(default_factory=list)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    idx = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[idx]


class TrafficStats:
    def __init__(self, seconds: int = 600, samples: int = 200, max_keys: int = 2000, top_minutes: int = 5) -> None:
        self.seconds, self.samples, self.max_keys, self.top_minutes = seconds, samples, max_keys, top_minutes
        self._ring = [_Second() for _ in range(seconds)]
        self._minutes: dict[int, tuple[Counter[str], Counter[str]]] = {}

    def add_many(self, now: float, durations: Sequence[float], identities: Mapping[str, int],
                 routes: Mapping[str, int], errors: int, blocks: int) -> None:
        """Requests that completed within the second of ``now``: their latencies, how many came from
        each identity and to each route, how many failed (5xx) and how many were blocked."""
        t = int(now)
        b = self._ring[t % self.seconds]
        if b.t != t:
            b.t, b.requests, b.errors, b.blocks, b.latencies = t, 0, 0, 0, []
        b.requests += len(durations)
        b.errors += errors
        b.blocks += blocks
        room = self.samples - len(b.latencies)
        if room > 0:
            b.latencies.extend(durations[:room])
        minute = t // 60
        counters = self._minutes.get(minute)
        if counters is None:
            counters = self._minutes[minute] = (Counter(), Counter())
            for old in [m for m in self._minutes if m <= minute - self.top_minutes]:
                del self._minutes[old]
        for counter, batch in zip(counters, (identities, routes), strict=True):
            for key, n in batch.items():
                if key in counter or len(counter) < self.max_keys:
                    counter[key] += n

    def series(self, now: float, window: int = 120, step: int = 5) -> list[dict[str, Any]]:
        """Points every ``step`` seconds over the last ``window`` complete seconds: request counts, rates per
        second, error and block shares, latency percentiles (ms)."""
        end = int(now) - 1  # the current second is still filling up: leave it out
        points: list[dict[str, Any]] = []
        for start in range(end - window + 1, end + 1, step):
            req = err = blk = 0
            lat: list[float] = []
            seconds = range(start, min(start + step, end + 1))
            for t in seconds:
                b = self._ring[t % self.seconds]
                if b.t == t:
                    req, err, blk = req + b.requests, err + b.errors, blk + b.blocks
                    lat.extend(b.latencies)
            lat.sort()
            points.append({
                "t": start, "requests": req, "rps": req / len(seconds), "error_rate": err / req if req else 0.0,
                "block_rate": blk / req if req else 0.0, "p50": percentile(lat, 0.5) * 1000,
                "p95": percentile(lat, 0.95) * 1000, "p99": percentile(lat, 0.99) * 1000,
            })
        return points

    def top(self, n: int = 10) -> dict[str, list[tuple[str, int]]]:
        ids: Counter[str] = Counter()
        routes: Counter[str] = Counter()
        for i, r in self._minutes.values():
            ids.update(i)
            routes.update(r)
        return {"identities": ids.most_common(n), "routes": routes.most_common(n)}
