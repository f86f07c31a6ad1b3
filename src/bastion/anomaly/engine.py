"""The anomaly engine: feeds each event to every enabled detector, de-duplicates alerts, keeps the
recent ones for the admin API, decides the automatic action, and hands each alert to its sinks.

Synchronous and cheap: sinks are callbacks that only enqueue (audit writer, webhook sender, block
responder) or count (Prometheus). Time comes from the events, which the caller stamps from the
injected clock.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import Any

from bastion.anomaly.config import AnomalySection, DetectorBase
from bastion.anomaly.detectors import Detector
from bastion.anomaly.detectors.failures import AuthFailureDetector, ScanningDetector
from bastion.anomaly.detectors.spikes import RateSpikeDetector, VolumeSpikeDetector
from bastion.anomaly.detectors.spread import EnumerationDetector, RouteSpreadDetector
from bastion.anomaly.model import Alert, Event
from bastion.anomaly.windows import BoundedMap

log = logging.getLogger("bastion.anomaly")
AlertSink = Callable[[Alert], None]


DETECTORS: dict[str, Callable[[Any, float, int], Detector]] = {
    "rate_spike": RateSpikeDetector,
    "auth_failures": AuthFailureDetector,
    "enumeration": EnumerationDetector,
    "scanning": ScanningDetector,
    "volume_spike": VolumeSpikeDetector,
    "route_spread": RouteSpreadDetector,
}


def build_detectors(cfg: AnomalySection) -> list[tuple[Detector, DetectorBase]]:
    out: list[tuple[Detector, DetectorBase]] = []
    for name, factory in DETECTORS.items():
        dcfg: DetectorBase = getattr(cfg.detectors, name)
        if dcfg.enabled:
            out.append((factory(dcfg, cfg.bucket, cfg.max_keys), dcfg))
    return out


def _cooldown_key(detector: str, identity: str, route: str) -> str:
    """One alert per detector and identity; per route too for route-level alerts (identity ``*``)."""
    return f"{detector}\x00{identity}\x00{route if identity == '*' else ''}"


class AnomalyEngine:
    def __init__(self, cfg: AnomalySection | None = None, sinks: list[AlertSink] | None = None) -> None:
        self.cfg = cfg or AnomalySection()
        self.detectors = build_detectors(self.cfg)
        self._hot = tuple((d.observe, dcfg) for d, dcfg in self.detectors)
        self.sinks: list[AlertSink] = list(sinks or [])
        self.recent: deque[Alert] = deque(maxlen=self.cfg.recent_alerts)
        self._last: BoundedMap[list[float]] = BoundedMap(self.cfg.max_keys, list)
        self.errors = 0
        for d, dcfg in self.detectors:
            d.muted = partial(self._muted, d.name, dcfg.cooldown)

    def observe(self, ev: Event) -> list[Alert] | None:
        """Feed one event to every detector; the alerts it raised (None when none: the common case)."""
        raised: list[Alert] | None = None
        for observe, dcfg in self._hot:
            alert = observe(ev)
            if alert is not None and self._fresh(alert, dcfg.cooldown):
                if dcfg.block_for > 0 and alert.identity != "*":
                    alert.action = f"block {int(dcfg.block_for)}s"
                self.recent.append(alert)
                raised = [*(raised or []), alert]
                self._emit(alert)
        return raised

    def _muted(self, detector: str, cooldown: float, identity: str, route: str, ts: float) -> bool:
        """Whether ``_fresh`` would drop that detector's alert for ``identity`` and ``route`` at ``ts`` (asked
        by the detector before it builds one; the key's recency is refreshed as ``_fresh`` did for each
        alert it dropped)."""
        last = self._last.get(_cooldown_key(detector, identity, route))
        return bool(last) and ts - last[0] < cooldown

    def _fresh(self, alert: Alert, cooldown: float) -> bool:
        last = self._last.get(_cooldown_key(alert.detector, alert.identity, alert.route))
        if last and alert.detected_at - last[0] < cooldown:
            return False
        last[:] = [alert.detected_at]
        return True

    def _emit(self, alert: Alert) -> None:
        for sink in self.sinks:
            try:
                sink(alert)
            except Exception:
                self.errors += 1
                log.exception("alert sink failed")

    def block_for(self, detector: str) -> float:
        for d, dcfg in self.detectors:
            if d.name == detector:
                return dcfg.block_for
        return 0.0
