"""Spikes against learned baselines: request rate (per identity and per route) and response volume.

Each tracked key has a rolling window of buckets and an EWMA baseline of its *active* buckets
(idle stretches are not averaged in, so a bursty user's normal bursts are the baseline). Until a key
has ``warmup_windows`` buckets of history, the population's baseline over all keys stands in.
A bucket that was itself anomalous is not learned, so an attack does not become the new normal.
Routes have no population to borrow from: a route is judged only once it has its own baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bastion.anomaly.config import RateSpike, VolumeSpike
from bastion.anomaly.detectors import Muted, never_muted
from bastion.anomaly.model import Alert, Event
from bastion.anomaly.windows import Baseline, BoundedMap, Rolling


@dataclass(slots=True)
class _Track:
    rolling: Rolling
    baseline: Baseline = field(default_factory=Baseline)


class SpikeTracker:
    """One family of keys (identities, or routes) measured in one unit (requests or bytes)."""

    def __init__(self, bucket: float, window: float, factor: float, sigmas: float, floor: float,
                 warmup: int, max_keys: int, population: bool = True, cold_limit: float = math.inf) -> None:
        self.n = max(1, round(window / bucket))
        self.use_population = population
        self.cold_limit = cold_limit
        """Limit for a key without a population to borrow from, before its own warm-up."""
        self.factor, self.sigmas, self.floor, self.warmup = factor, sigmas, floor, warmup
        self.population = Baseline(alpha=0.02)
        self.tracks: BoundedMap[_Track] = BoundedMap(max_keys, lambda: _Track(Rolling(bucket, self.n)))

    def threshold(self, base: Baseline) -> float:
        mean, var = base.mean * self.n, base.var * self.n
        return max(self.floor, self.factor * mean, mean + self.sigmas * math.sqrt(var))

    def limit(self, tr: _Track) -> tuple[Baseline, float]:
        base = tr.baseline if tr.baseline.samples >= self.warmup or not self.use_population else self.population
        if base.samples >= self.warmup:
            return base, self.threshold(base)
        # nothing learned yet: new identities face a conservative ceiling; routes the cold limit
        return base, self.floor * self.factor if self.use_population else self.cold_limit

    def add(self, key: str, ts: float, amount: float) -> tuple[float, float, float, Rolling] | None:
        """Add; return ``(total, baseline, threshold, rolling)`` when the window is over threshold."""
        tr = self.tracks.get(key)
        rolling = tr.rolling
        if rolling.last_bucket >= 0 and ts // rolling.width > rolling.last_bucket:
            closed = rolling.counts[rolling.last_bucket % rolling.n]  # a bucket completes: learn it
            if 0 < closed <= self.limit(tr)[1] / self.n:
                tr.baseline.update(closed)
                self.population.update(closed)
        rolling.add(ts, amount)
        total = rolling.total()
        if total <= self.floor:  # the cheap common case: every threshold is at least the floor
            return None
        base, limit = self.limit(tr)
        if total <= limit:
            return None
        return total, base.mean * self.n, limit, rolling


class RateSpikeDetector:
    name = "rate_spike"

    def __init__(self, cfg: RateSpike, bucket: float, max_keys: int) -> None:
        self.cfg = cfg
        self.muted: Muted = never_muted
        self.identities = SpikeTracker(bucket, cfg.window, cfg.factor, cfg.sigmas, cfg.min_requests,
                                        cfg.warmup_windows, max_keys)
        self.routes = SpikeTracker(bucket, cfg.window, cfg.factor, cfg.sigmas, cfg.route_min_requests,
                                    cfg.warmup_windows, 10_000, population=False) if cfg.per_route else None

    def observe(self, ev: Event) -> Alert | None:
        hit = self.identities.add(ev.identity, ev.ts, ev.count)
        identity = ev.identity
        if hit is None and self.routes is not None:
            hit, identity = self.routes.add(ev.route, ev.ts, ev.count), "*"
        if hit is None or self.muted(identity, ev.route, ev.ts):
            return None
        total, baseline, limit, rolling = hit
        return Alert(self.name, identity, ev.route, rolling.started_at(ev.ts), self.cfg.severity,
                     {"requests": int(total), "baseline": round(baseline, 1), "threshold": round(limit, 1),
                      "window_s": self.cfg.window}, detected_at=ev.ts)


class VolumeSpikeDetector:
    name = "volume_spike"

    def __init__(self, cfg: VolumeSpike, bucket: float, max_keys: int) -> None:
        self.cfg = cfg
        self.muted: Muted = never_muted
        self.identities = SpikeTracker(bucket, cfg.window, cfg.factor, 6.0, cfg.min_bytes, cfg.warmup_windows,
                                        max_keys)

    def observe(self, ev: Event) -> Alert | None:
        if ev.bytes <= 0:
            return None
        hit = self.identities.add(ev.identity, ev.ts, float(ev.bytes))
        if hit is None or self.muted(ev.identity, ev.route, ev.ts):
            return None
        total, baseline, limit, rolling = hit
        return Alert(self.name, ev.identity, ev.route, rolling.started_at(ev.ts), self.cfg.severity,
                     {"bytes": int(total), "baseline": int(baseline), "threshold": int(limit),
                      "window_s": self.cfg.window}, detected_at=ev.ts)
