"""Rotation policy assessment: which secrets are overdue or soon due, as findings, metrics and events.

Pure functions over ``SecretMeta`` and ``RotationPolicy``; ``now`` is passed in. A secret is
*overdue* when it has expired or its current version is older than ``max_age``; it is *due soon*
when either moment falls within ``warn_window``. ``bastion audit --config`` shows the findings,
the metrics exporter publishes ``metric_samples`` and the audit log records ``audit_events``
(see ``secrets/monitor.py`` for the periodic check and ``secrets/status.py`` for the audit's read).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bastion.findings.model import Finding, Location, Severity
from bastion.secrets.model import RotationPolicy, SecretMeta

OVERDUE_RULE = "secrets.rotation-overdue"
DUE_SOON_RULE = "secrets.rotation-due-soon"
UNCHECKED_RULE = "secrets.rotation-unchecked"
RULE_IDS = (OVERDUE_RULE, DUE_SOON_RULE, UNCHECKED_RULE)
"""The ids ``bastion audit --config`` reports for the secret store (``--rules``/``--exclude`` accept them)."""
AUDIT_KIND = "secret.rotation_due"
"""Audit-log event kind for an overdue or soon-due secret (``secret.rotation`` is a rotation that happened)."""


class RotationState(enum.StrEnum):
    OK = "ok"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class RotationStatus:
    name: str
    version: int
    age: float
    due_at: float | None
    """When the secret must be rotated (the earlier of expiry and created + max_age)."""
    state: RotationState

    def seconds_left(self, now: float) -> float | None:
        return None if self.due_at is None else self.due_at - now


def assess(meta: SecretMeta, policy: RotationPolicy, now: float) -> RotationStatus:
    deadlines = [meta.expires_at] if meta.expires_at is not None else []
    if policy.max_age is not None:
        deadlines.append(meta.created_at + policy.max_age)
    due_at = min(deadlines) if deadlines else None
    state = RotationState.OK
    if due_at is not None:
        if now >= due_at:
            state = RotationState.OVERDUE
        elif policy.warn_window is not None and now >= due_at - policy.warn_window:
            state = RotationState.DUE_SOON
    return RotationStatus(meta.name, meta.version, max(0.0, now - meta.created_at), due_at, state)


def assess_all(
    current: Iterable[SecretMeta], policies: Mapping[str, RotationPolicy], default: RotationPolicy, now: float
) -> list[RotationStatus]:
    """Assess the current version of every secret with its own policy, else the default."""
    return [assess(m, _merge(policies.get(m.name), default), now) for m in current]


def needing_attention(statuses: Iterable[RotationStatus]) -> list[RotationStatus]:
    """Overdue and soon-due secrets, most urgent first."""
    flagged = [s for s in statuses if s.state is not RotationState.OK]
    return sorted(flagged, key=lambda s: (s.state is not RotationState.OVERDUE, s.due_at or 0.0))


def to_findings(statuses: Iterable[RotationStatus], now: float) -> list[Finding]:
    out: list[Finding] = []
    for s in needing_attention(statuses):
        overdue = s.state is RotationState.OVERDUE
        days = abs(s.seconds_left(now) or 0.0) / 86400
        when = f"was due {days:.1f} days ago" if overdue else f"is due in {days:.1f} days"
        out.append(Finding(
            rule_id=OVERDUE_RULE if overdue else DUE_SOON_RULE,
            title="Secret rotation overdue" if overdue else "Secret rotation due soon",
            severity=Severity.HIGH if overdue else Severity.LOW,
            owasp="API8:2023",
            cwe=324,
            message=f"secret {s.name!r} (version {s.version}) {when}",
            risk="A credential used past its rotation date widens the window in which a leaked copy works.",
            fix=f"Rotate it with `bastion secrets rotate {s.name}` (old version kept for the overlap).",
            location=Location(pointer=f"/secrets/{s.name}"),
            tags=("secrets", "rotation"),
        ))
    return out


def unchecked_finding(reason: str, *, missing: bool = False) -> Finding:
    """The store the config names could not be read, so its rotation state is unknown (no value in ``reason``)."""
    return Finding(
        rule_id=UNCHECKED_RULE,
        title="Secret rotation not checked",
        severity=Severity.LOW if missing else Severity.MEDIUM,
        owasp="API8:2023",
        cwe=324,
        message=f"the secret store named in secrets.store could not be read: {reason}",
        risk="Overdue secrets go unnoticed while nobody can see the store's rotation state.",
        fix="Run the audit where the store is reachable (same store URL, no master key needed).",
        location=Location(pointer="/secrets/store"),
        tags=("secrets", "rotation"),
    )


METRICS = {
    "bastion_secret_age_seconds": "Age of the current version of each secret",
    "bastion_secret_rotation_seconds_left": "Seconds until each secret must be rotated (negative: overdue)",
    "bastion_secret_rotation_overdue": "1 when the secret is past its rotation date",
}
"""The gauges ``metric_samples`` produces, with their help text."""


def metric_samples(statuses: Iterable[RotationStatus], now: float) -> list[tuple[str, dict[str, str], float]]:
    """``(metric, labels, value)`` samples: age, seconds until due (negative when overdue) and the state."""
    samples: list[tuple[str, dict[str, str], float]] = []
    for s in statuses:
        samples.append(("bastion_secret_age_seconds", {"secret": s.name}, s.age))
        left = s.seconds_left(now)
        if left is not None:
            samples.append(("bastion_secret_rotation_seconds_left", {"secret": s.name}, left))
        samples.append(("bastion_secret_rotation_overdue", {"secret": s.name},
                        1.0 if s.state is RotationState.OVERDUE else 0.0))
    return samples


def audit_events(statuses: Iterable[RotationStatus], now: float) -> list[dict[str, Any]]:
    """Audit-log events for overdue and soon-due secrets (names and dates, never values)."""
    return [
        {"secret": s.name, "version": s.version, "state": s.state.value,
         "due_at": s.due_at, "age_seconds": round(s.age, 1)}
        for s in needing_attention(statuses)
    ]


def _merge(own: RotationPolicy | None, default: RotationPolicy) -> RotationPolicy:
    if own is None:
        return default
    return RotationPolicy(
        own.max_age if own.max_age is not None else default.max_age,
        own.warn_window if own.warn_window is not None else default.warn_window,
        own.overlap if own.overlap is not None else default.overlap,
    )
