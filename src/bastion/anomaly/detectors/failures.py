"""Failure-driven detectors: authentication-failure bursts and 404/405/403 scanning."""

from __future__ import annotations

from dataclasses import dataclass

from bastion.anomaly.config import AuthFailures, Scanning
from bastion.anomaly.detectors import Muted, never_muted
from bastion.anomaly.detectors.distinct import DistinctWindow
from bastion.anomaly.detectors.spikes import SpikeTracker
from bastion.anomaly.model import Alert, Event
from bastion.anomaly.windows import BoundedMap, Rolling


@dataclass(slots=True)
class _Counts:
    failures: Rolling
    requests: Rolling


class AuthFailureDetector:
    """Credential stuffing and token guessing: many authentication failures from one identity (usually
    an IP, since a failed authentication establishes no principal), making up most of its traffic since
    its first failure (identities that never failed cost nothing). Per route too: failures on one route
    from identities each below their own threshold, above ``route_threshold`` and ``route_factor``
    times that route's learned failure baseline (stuffing spread over many addresses)."""

    name = "auth_failures"

    def __init__(self, cfg: AuthFailures, bucket: float, max_keys: int) -> None:
        self.cfg = cfg
        self.muted: Muted = never_muted
        n = max(1, round(cfg.window / bucket))
        self.tracks: BoundedMap[_Counts] = BoundedMap(max_keys, lambda: _Counts(Rolling(bucket, n), Rolling(bucket, n)))
        self.routes = SpikeTracker(bucket, cfg.window, cfg.route_factor, 6.0, cfg.route_threshold, 6, 10_000,
                                   population=False, cold_limit=cfg.route_threshold)

    def observe(self, ev: Event) -> Alert | None:
        if not ev.auth_failure:
            tr = self.tracks.peek(ev.identity)  # only identities that have failed are tracked
            if tr is not None:
                tr.requests.add(ev.ts, ev.count)
            return None
        tr = self.tracks.get(ev.identity)
        tr.requests.add(ev.ts, ev.count)
        tr.failures.add(ev.ts, ev.count)
        fails, total = tr.failures.total(), tr.requests.total()
        if fails >= self.cfg.threshold:
            if fails / total < self.cfg.min_ratio or self.muted(ev.identity, ev.route, ev.ts):
                return None
            return Alert(self.name, ev.identity, ev.route, tr.failures.started_at(ev.ts), self.cfg.severity,
                         {"failures": int(fails), "requests": int(total), "threshold": self.cfg.threshold,
                          "window_s": self.cfg.window}, detected_at=ev.ts)
        hit = self.routes.add(ev.route, ev.ts, ev.count)  # only failures from identities below their own threshold
        if hit is None or self.muted("*", ev.route, ev.ts):
            return None
        route_fails, baseline, limit, rolling = hit
        return Alert(self.name, "*", ev.route, rolling.started_at(ev.ts), self.cfg.severity,
                     {"failures": int(route_fails), "baseline": round(baseline, 1), "threshold": round(limit, 1),
                      "window_s": self.cfg.window, "scope": "route"}, detected_at=ev.ts)


class ScanningDetector:
    """Probing for what exists: many distinct paths answered 404/405, or many distinct routes answered
    403, for one identity. Repeated errors on one path or one route (a broken client; BOLA probing,
    which ``enumeration`` covers) do not count."""

    name = "scanning"

    def __init__(self, cfg: Scanning, bucket: float, max_keys: int) -> None:
        self.cfg = cfg
        self.muted: Muted = never_muted
        cap = cfg.distinct_targets + 1
        self.missing = DistinctWindow(cfg.window, cap, max_keys)
        self.forbidden = DistinctWindow(cfg.window, cap, max_keys)

    def observe(self, ev: Event) -> Alert | None:
        if ev.status in (404, 405):
            seen, started = self.missing.add(ev.identity, f"{ev.method} {ev.target}", ev.ts)
            kind = "not_found_or_method"
        elif ev.status == 403:
            seen, started = self.forbidden.add(ev.identity, ev.route, ev.ts)
            kind = "forbidden"
        else:
            return None
        if seen < self.cfg.distinct_targets or self.muted(ev.identity, ev.route, ev.ts):
            return None
        return Alert(self.name, ev.identity, ev.route, started, self.cfg.severity,
                     {"kind": kind, "distinct_targets": seen, "threshold": self.cfg.distinct_targets,
                      "window_s": self.cfg.window}, detected_at=ev.ts)
