"""Score detector alerts against a labelled scenario: per-detector precision, recall, time to detect.

An alert matches an episode when the detector is the episode's kind, the identity is the attacker's
(or ``*`` on one of the episode's routes, for route-level alerts), and it was raised between the
episode's start and ``grace`` seconds after its end. Every alert that matches no episode of its
detector's kind counts against that detector's precision, including alerts raised by another kind of
attack (strict attribution).

``replay_direct`` feeds a scenario through the real ``Observer`` and ``AnomalyEngine`` on a FakeClock,
with no sockets: the fast, deterministic evaluation used in CI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bastion.anomaly.config import AnomalySection
from bastion.anomaly.engine import AnomalyEngine
from bastion.anomaly.model import Alert
from bastion.anomaly.scenario import DETECTOR_KINDS, Episode, Req, Scenario


@dataclass
class DetectorScore:
    detector: str
    alerts: int = 0
    true_alerts: int = 0
    episodes: int = 0
    detected: int = 0
    ttd: list[float] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_alerts / self.alerts if self.alerts else 1.0

    @property
    def recall(self) -> float:
        return self.detected / self.episodes if self.episodes else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"detector": self.detector, "alerts": self.alerts, "episodes": self.episodes,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "ttd_mean_s": round(sum(self.ttd) / len(self.ttd), 1) if self.ttd else None,
                "ttd_max_s": round(max(self.ttd), 1) if self.ttd else None}


@dataclass
class Evaluation:
    scores: dict[str, DetectorScore]
    false_alerts: list[Alert]

    def passed(self, min_precision: float = 0.9, min_recall: float = 0.9, max_ttd: float = 30.0) -> bool:
        return all(s.precision >= min_precision and s.recall >= min_recall and all(t <= max_ttd for t in s.ttd)
                   for s in self.scores.values())

    def to_dict(self) -> dict[str, Any]:
        return {"detectors": [s.to_dict() for s in self.scores.values()],
                "false_alerts": [a.to_dict() for a in self.false_alerts]}


def _matches(alert: Alert, ep: Episode, identity: str, grace: float) -> bool:
    who = alert.identity == identity or (alert.identity == "*" and alert.route in ep.routes)
    return alert.detector == ep.kind and who and ep.start <= alert.detected_at <= ep.end + grace


def score(alerts: list[Alert], scenario: Scenario, identity: Callable[[Episode], str],
          grace: float = 60.0, t0: float = 0.0, time_scale: float = 1.0) -> Evaluation:
    """``t0``: the clock time of the scenario's second 0 (alerts carry absolute times). ``time_scale``:
    the compression a live replay ran with (see ``scale_scenario``); times are scored in scenario seconds."""
    scores = {k: DetectorScore(k) for k in DETECTOR_KINDS}
    shifted = [Alert(a.detector, a.identity, a.route, (a.started_at - t0) / time_scale, a.severity, a.evidence,
                     (a.detected_at - t0) / time_scale, a.action, a.id) for a in alerts]
    for ep in scenario.episodes:
        scores[ep.kind].episodes += 1
        hits = [a.detected_at for a in shifted if _matches(a, ep, identity(ep), grace)]
        if hits:
            scores[ep.kind].detected += 1
            scores[ep.kind].ttd.append(max(0.0, min(hits) - ep.start))
    false: list[Alert] = []
    for a, original in zip(shifted, alerts, strict=True):
        s = scores.setdefault(a.detector, DetectorScore(a.detector))
        s.alerts += 1
        if any(_matches(a, ep, identity(ep), grace) for ep in scenario.episodes):
            s.true_alerts += 1
        else:
            false.append(original)
    return Evaluation(scores, false)


def scale_scenario(scenario: Scenario, factor: float) -> Scenario:
    """The same traffic played ``1/factor`` times faster (``factor=0.1``: ten times faster)."""
    reqs = [Req(r.t * factor, r.ip, r.user, r.route, r.method, r.path, r.object_id, r.status, r.bytes, r.episode)
            for r in scenario.requests]
    return Scenario(reqs, scenario.episodes, scenario.duration * factor)


def scale_config(cfg: AnomalySection, factor: float) -> AnomalySection:
    """Detector settings for traffic compressed by ``factor``: every duration shrinks, every count stays."""
    durations = ("window", "cooldown", "block_for", "new_for")
    dets = cfg.detectors
    update = {}
    for name in type(dets).model_fields:
        d = getattr(dets, name)
        update[name] = d.model_copy(update={k: getattr(d, k) * factor for k in durations if k in type(d).model_fields})
    return cfg.model_copy(update={"bucket": cfg.bucket * factor, "detectors": dets.model_copy(update=update)})


def principal_identity(ep: Episode) -> str:
    return ep.user if ep.user else "ip:" + ep.ip


def ip_identity(ep: Episode) -> str:
    return "ip:" + ep.ip


def replay_direct(scenario: Scenario, cfg: AnomalySection | None = None, t0: float = 1_800_000_000.0) -> list[Alert]:
    """Run ``scenario`` through the Observer and the detectors on a FakeClock; return the alerts."""
    from bastion.observability.metrics import GatewayMetrics
    from bastion.observability.observer import Observer
    from bastion.observability.stats import TrafficStats
    from bastion.observability.trail import AuditTrail
    from bastion.testing.clock import FakeClock

    clock = FakeClock(t0)
    engine = AnomalyEngine(cfg or AnomalySection())
    observer = Observer(metrics=GatewayMetrics(), stats=TrafficStats(), trail=AuditTrail(None), anomaly=engine,
                        clock=clock)
    alerts: list[Alert] = []
    engine.sinks.append(alerts.append)
    for req in scenario.requests:
        clock.advance(t0 + req.t - clock.now())
        observer.observe(to_exchange(req, t0))
    return alerts


def to_exchange(req: Req, t0: float) -> Any:
    from bastion.chain.exchange import Exchange, Principal, RouteMatch
    from bastion.http.headers import Headers, MutableHeaders
    from bastion.http.messages import RequestHead, ResponseHead

    template = _template(req)
    head = RequestHead(req.method, req.path, req.path, "", Headers(), client_ip=req.ip)
    params = {"id": req.object_id} if req.object_id is not None else {}
    ex = Exchange(head, RouteMatch(req.route if req.route != "-" else "", params, None, template=template),
                  "replay", t0 + req.t, MutableHeaders())
    if req.user is not None:
        kind, _, name = req.user.partition(":")
        ex.principal = Principal(name, "jwt", client_id=name if kind == "client" else None)
    ex.response = ResponseHead(req.status)
    ex.bytes_sent = req.bytes
    ex.completed_at = t0 + req.t
    return ex


def _template(req: Req) -> str:
    from bastion.anomaly.scenario import ROUTES

    return ROUTES[req.route][1] if req.route in ROUTES else req.path
