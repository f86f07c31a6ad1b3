"""Breadth detectors: enumeration of object ids (BOLA probing) and a new identity hitting many routes."""

from __future__ import annotations

from bastion.anomaly.config import Enumeration, RouteSpread
from bastion.anomaly.detectors import Muted, never_muted
from bastion.anomaly.detectors.distinct import DistinctWindow
from bastion.anomaly.model import Alert, Event
from bastion.anomaly.windows import BoundedMap


class EnumerationDetector:
    """One identity touching many distinct object ids on the same route within the window."""

    name = "enumeration"

    def __init__(self, cfg: Enumeration, bucket: float, max_keys: int) -> None:
        self.cfg = cfg
        self.muted: Muted = never_muted
        self.ids = DistinctWindow(cfg.window, cfg.distinct_ids + 1, max_keys)

    def observe(self, ev: Event) -> Alert | None:
        if ev.object_id is None:
            return None
        key = f"{ev.identity}\x00{ev.route}"
        seen, started = self.ids.add(key, ev.object_id, ev.ts)
        for more in ev.object_ids:
            seen, started = self.ids.add(key, more, ev.ts)
        if seen < self.cfg.distinct_ids or self.muted(ev.identity, ev.route, ev.ts):
            return None
        return Alert(self.name, ev.identity, ev.route, started, self.cfg.severity,
                     {"distinct_ids": seen, "threshold": self.cfg.distinct_ids, "window_s": self.cfg.window},
                     detected_at=ev.ts)


class RouteSpreadDetector:
    """An identity first seen less than ``new_for`` ago that already reached many distinct routes.

    Established identities are exempt; requests answered 404/405 do not count (that is scanning).
    """

    name = "route_spread"

    def __init__(self, cfg: RouteSpread, bucket: float, max_keys: int) -> None:
        self.cfg = cfg
        self.muted: Muted = never_muted
        self.first_seen: BoundedMap[list[float]] = BoundedMap(max_keys, list)
        self.routes = DistinctWindow(cfg.new_for, cfg.distinct_routes + 1, max_keys)

    def observe(self, ev: Event) -> Alert | None:
        first = self.first_seen.get(ev.identity)
        if not first:
            first.append(ev.ts)
        if ev.ts - first[0] > self.cfg.new_for or ev.route == "-" or ev.status in (404, 405):
            return None
        seen, _ = self.routes.add(ev.identity, ev.route, ev.ts)
        if seen < self.cfg.distinct_routes or self.muted(ev.identity, ev.route, ev.ts):
            return None
        return Alert(self.name, ev.identity, ev.route, first[0], self.cfg.severity,
                     {"distinct_routes": seen, "threshold": self.cfg.distinct_routes,
                      "identity_age_s": round(ev.ts - first[0], 1)}, detected_at=ev.ts)
