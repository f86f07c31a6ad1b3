"""Unit: rotation-policy assessment (overdue, due soon), findings, metrics and audit events."""

from __future__ import annotations

from bastion.findings.model import Severity
from bastion.secrets.model import RotationPolicy, SecretMeta
from bastion.secrets.rotation import (
    RotationState,
    assess,
    assess_all,
    audit_events,
    metric_samples,
    to_findings,
)

DAY = 86400.0
NOW = 1_800_000_000.0


def _meta(name: str, age_days: float, expires_in_days: float | None = None) -> SecretMeta:
    created = NOW - age_days * DAY
    expires = None if expires_in_days is None else NOW + expires_in_days * DAY
    return SecretMeta(name, 1, created, expires, "tester", None, "kid")


POLICY = RotationPolicy(max_age=30 * DAY, warn_window=7 * DAY)


def test_fresh_secret_is_ok() -> None:
    assert assess(_meta("a", 1), POLICY, NOW).state is RotationState.OK


def test_secret_within_warning_window_is_due_soon() -> None:
    status = assess(_meta("a", 25), POLICY, NOW)
    assert status.state is RotationState.DUE_SOON
    assert status.seconds_left(NOW) == 5 * DAY


def test_secret_older_than_max_age_is_overdue() -> None:
    assert assess(_meta("a", 31), POLICY, NOW).state is RotationState.OVERDUE


def test_expiry_earlier_than_max_age_wins() -> None:
    status = assess(_meta("a", 1, expires_in_days=-0.5), POLICY, NOW)
    assert status.state is RotationState.OVERDUE


def test_no_policy_and_no_expiry_never_due() -> None:
    assert assess(_meta("a", 10_000), RotationPolicy(), NOW).state is RotationState.OK


def test_per_secret_policy_overrides_default() -> None:
    metas = [_meta("strict", 10), _meta("loose", 10)]
    statuses = assess_all(metas, {"strict": RotationPolicy(max_age=5 * DAY)}, POLICY, NOW)
    assert [s.state for s in statuses] == [RotationState.OVERDUE, RotationState.OK]


def test_findings_events_and_metrics_name_secrets_but_carry_no_values() -> None:
    statuses = assess_all([_meta("late", 40), _meta("soon", 26), _meta("ok", 1)], {}, POLICY, NOW)
    findings = to_findings(statuses, NOW)
    assert [(f.rule_id, f.severity) for f in findings] == [
        ("secrets.rotation-overdue", Severity.HIGH),
        ("secrets.rotation-due-soon", Severity.LOW),
    ]
    assert "10.0 days ago" in findings[0].message and "in 4.0 days" in findings[1].message
    events = audit_events(statuses, NOW)
    assert [(e["secret"], e["state"]) for e in events] == [("late", "overdue"), ("soon", "due_soon")]
    overdue = {labels["secret"]: v for m, labels, v in metric_samples(statuses, NOW)
               if m == "bastion_secret_rotation_overdue"}
    assert overdue == {"late": 1.0, "soon": 0.0, "ok": 0.0}
