"""The detectors. Each has ``name``, ``muted`` and ``observe(event) -> Alert | None``, and bounded memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from bastion.anomaly.model import Alert, Event

Muted = Callable[[str, str, float], bool]
"""``muted(identity, route, ts)``: whether an alert for that identity (``*`` for a route-level alert) and
route at ``ts`` would be dropped by the engine's cooldown. A detector asks before it builds the ``Alert``,
so one staying over its threshold costs a look-up per event, not an alert built and dropped."""


def never_muted(identity: str, route: str, ts: float) -> bool:
    """The default ``muted`` of a detector used alone (tests, tools): every alert is built."""
    return False


class Detector(Protocol):
    name: str
    muted: Muted
    """Set by the engine to its cooldown check."""

    def observe(self, ev: Event) -> Alert | None: ...
