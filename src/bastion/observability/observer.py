"""The Observer: what the engine calls once per exchange, after the response was sent.

``observe(ex)`` is synchronous and cheap: it updates Prometheus counters and the live stats, and
enqueues an access-log line, audit events for the gateway's denials, and an anomaly ``Event``.
Every write happens later, in background writers. It never raises.
"""

from __future__ import annotations

import logging

from bastion.anomaly.engine import AnomalyEngine
from bastion.anomaly.model import Event
from bastion.chain.exchange import Exchange, RouteMatch
from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.http.headers import Headers, MutableHeaders
from bastion.http.messages import RequestHead, ResponseHead
from bastion.observability.access_log import AccessLog
from bastion.observability.events import RATE_LIMITING, identity_of, is_auth_failure, security_events
from bastion.observability.metrics import GatewayMetrics
from bastion.observability.stats import TrafficStats
from bastion.observability.trail import AuditTrail

log = logging.getLogger("bastion.observer")
_NO_HEADERS = Headers()


class Observer:
    def __init__(self, *, metrics: GatewayMetrics, stats: TrafficStats, trail: AuditTrail,
                 access_log: AccessLog | None = None, anomaly: AnomalyEngine | None = None,
                 clock: Clock = SYSTEM_CLOCK, counting: bool = True) -> None:
        self.metrics, self.stats, self.trail = metrics, stats, trail
        self.counting = counting
        """False when ``metrics: {enabled: false}``: no Prometheus counters, no live stats."""
        self.access_log, self.anomaly, self.clock = access_log, anomaly, clock
        self.audited = trail.log is not None

    def observe(self, ex: Exchange) -> None:
        try:
            self._observe(ex)
        except Exception:
            self.metrics.observer_errors.inc()
            log.exception("observer failed for request %s", ex.request_id)

    def observe_unrouted(self, *, method: str, path: str, client_ip: str, status: int, request_id: str,
                         received_at: float, bytes_sent: int = 0) -> None:
        """For requests answered before routing (404/405, malformed): access log, metrics, scanning."""
        head = RequestHead(method, path, path, "", _NO_HEADERS, client_ip=client_ip)
        ex = Exchange(head, RouteMatch("", {}, None), request_id, received_at, MutableHeaders(),
                      response=ResponseHead(status), bytes_sent=bytes_sent, completed_at=self.clock.now())
        self.observe(ex)

    def _observe(self, ex: Exchange) -> None:
        now = ex.completed_at if ex.completed_at is not None else self.clock.now()
        duration = now - ex.received_at if now > ex.received_at else 0.0
        status = ex.response.status if ex.response is not None else 0
        identity = identity_of(ex)
        route = ex.route.route_id or "-"
        counting = self.counting
        if counting:
            self.metrics.request(route, ex.request.method, status, duration, ex.upstream_duration)
        blocked = False
        if ex.decisions:
            for d in ex.decisions:
                if d.outcome == "deny":
                    blocked = True
                    if counting and d.policy in RATE_LIMITING:
                        self.metrics.rate_limited.labels(route).inc()
                if counting:
                    self.metrics.decision(d.policy, d.outcome, d.reason)
            if self.audited:
                for kind, data in security_events(ex, identity, status):
                    self.trail.emit(kind, data)
        if self.access_log is not None:
            self.access_log.record(ex, identity, duration)
        if counting:
            self.stats.add(now, identity, route, status, duration, blocked)
        if self.anomaly is not None:
            params = ex.route.params
            self.anomaly.observe(Event(
                ts=now, identity=identity, route=route, status=status, bytes=ex.bytes_sent,
                object_id="/".join(params.values()) if params else None,
                target=ex.route.template if ex.route.route_id else ex.request.path,
                auth_failure=is_auth_failure(ex, status), method=ex.request.method,
            ))
