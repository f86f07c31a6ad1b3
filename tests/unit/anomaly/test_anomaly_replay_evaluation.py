"""Unit: the replay evaluation at a small scale, on a FakeClock — every detector meets precision and
recall >= 0.9 and detects within 30 s, the normal-only control run raises nothing, and the scorer
itself counts misses and false alerts."""

from __future__ import annotations

from typer.testing import CliRunner

from bastion.anomaly import evaluation, scenario
from bastion.anomaly.model import Alert
from bastion.cli.main import app as cli_app

T0 = 1_800_000_000.0


def test_small_replay_meets_the_targets_on_two_seeds() -> None:
    for seed in (11, 12):
        sc = scenario.build(seed, users=80, duration=1800, episodes_per_kind=2, warmup=600)
        result = evaluation.score(evaluation.replay_direct(sc, t0=T0), sc, evaluation.principal_identity, t0=T0)
        for s in result.scores.values():
            assert s.episodes == 2, s.detector
            assert s.precision >= 0.9 and s.recall >= 0.9, s.to_dict()
            assert max(s.ttd) <= 30.0, s.to_dict()
        assert result.passed()


def test_control_run_without_attacks_raises_no_alert() -> None:
    sc = scenario.build(13, users=80, duration=1800, episodes_per_kind=0)
    assert sc.episodes == [] and len(sc.requests) > 2000
    assert evaluation.replay_direct(sc, t0=T0) == []


def test_scenario_is_deterministic_and_labelled() -> None:
    a = scenario.build(5, users=20, duration=900, episodes_per_kind=1, warmup=300)
    b = scenario.build(5, users=20, duration=900, episodes_per_kind=1, warmup=300)
    assert [(r.t, r.path, r.status) for r in a.requests] == [(r.t, r.path, r.status) for r in b.requests]
    assert sorted(e.kind for e in a.episodes) == sorted(scenario.DETECTOR_KINDS)
    for ep in a.episodes:
        assert any(r.episode == ep.id for r in a.requests)


def test_scorer_counts_misses_late_and_false_alerts() -> None:
    sc = scenario.build(5, users=20, duration=900, episodes_per_kind=1, warmup=300)
    ep = next(e for e in sc.episodes if e.kind == "scanning")
    ident = evaluation.principal_identity(ep)
    alerts = [
        Alert("scanning", ident, "-", T0 + ep.start, "high", {}, detected_at=T0 + ep.start + 45),  # late
        Alert("scanning", "ip:10.250.0.1", "-", T0 + 10, "high", {}, detected_at=T0 + 10),  # false
    ]
    result = evaluation.score(alerts, sc, evaluation.principal_identity, t0=T0)
    s = result.scores["scanning"]
    assert (s.alerts, s.true_alerts, s.detected, s.ttd) == (2, 1, 1, [45.0])
    assert s.precision == 0.5 and result.scores["enumeration"].recall == 0.0
    assert not result.passed()
    assert [a.identity for a in result.false_alerts] == ["ip:10.250.0.1"]


def test_cli_replay_direct_mode_reports_pass() -> None:
    result = CliRunner().invoke(cli_app, ["replay", "run", "--users", "40", "--duration", "1200", "--episodes", "1",
                                          "--warmup", "400", "--json"])
    assert result.exit_code == 0, result.output
    assert '"passed":true' in result.output
