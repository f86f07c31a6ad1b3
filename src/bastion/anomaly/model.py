"""What detectors see (``Event``) and what they raise (``Alert``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("low", "medium", "high", "critical")


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
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "detector": self.detector, "identity": self.identity, "route": self.route,
            "started_at": self.started_at, "detected_at": self.detected_at, "severity": self.severity,
            "evidence": self.evidence, "action": self.action,
        }
