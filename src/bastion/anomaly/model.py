"""What detectors see (``Event``) and what they raise (``Alert``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import count
from typing import Any

SEVERITIES = ("low", "medium", "high", "critical")
_ID_PREFIX = os.urandom(4).hex()
_ID_SEQ = count(int.from_bytes(os.urandom(2), "big") << 16)


def alert_id() -> str:
    """16 hex digits, unique within this process and, by the random prefix, across restarts.

    Cheap on purpose: ids are made for every ``Alert`` built, also those the engine's cooldown drops (a
    detector asks ``muted`` first, so those are few)."""
    return f"{_ID_PREFIX}{next(_ID_SEQ) & 0xFFFFFFFF:08x}"


@dataclass(slots=True)
class Event:
    """One completed exchange, reduced to what the detectors need (no headers, no bodies) — or ``count``
    identical ones (same identity, route, status, target and bucket; ``ts`` the last, ``bytes`` the total),
    which the detectors weigh as that many requests."""

    ts: float
    identity: str
    route: str
    """Route id, or ``-`` when no route matched."""
    status: int
    bytes: int = 0
    object_id: str | None = None
    """The route's path parameters joined (``/orders/{id}`` → the id), for enumeration."""
    target: str = ""
    """Path template when a route matched, else the normalised path (for 404/405 scanning)."""
    auth_failure: bool = False
    method: str = "GET"
    count: int = 1
    object_ids: tuple[str, ...] = ()
    """With ``count`` > 1: the distinct object ids of the run (``object_id`` is then the first)."""


@dataclass(slots=True)
class Alert:
    detector: str
    identity: str
    route: str
    started_at: float
    severity: str
    evidence: dict[str, Any]
    detected_at: float = 0.0
    action: str = "none"
    id: str = field(default_factory=alert_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "detector": self.detector, "identity": self.identity, "route": self.route,
            "started_at": self.started_at, "detected_at": self.detected_at, "severity": self.severity,
            "evidence": self.evidence, "action": self.action,
        }
