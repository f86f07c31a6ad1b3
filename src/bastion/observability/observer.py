"""The Observer: what the engine calls once per exchange, after the response was sent.

``observe(ex)`` is synchronous, cheap and never raises. It captures one ``Observed`` tuple of plain
values and, once ``start()`` ran on the event loop, appends it to a batch; the batch is processed every
``batch_interval`` (or at ``max_batch`` records) in one pass on the loop: Prometheus counters, live
stats, access-log lines (handed to the writer thread) and the anomaly detectors, which get one
``Event`` per run of identical requests (same identity, route, status, target and detector bucket)
with its ``count``, so a busy identity costs the detectors once per batch, not once per request.
Audit events for the gateway's denials are enqueued at once. Before ``start()`` (tests, the replay
tool) every observation is processed immediately, as a batch of one.

Readers of the live state (the admin API) call ``flush()`` first, so they never see a stale batch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from bastion.anomaly.engine import AnomalyEngine
from bastion.anomaly.model import Event
from bastion.chain.exchange import Decision, Exchange, RouteMatch
from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.http.headers import Headers, MutableHeaders
from bastion.http.messages import RequestHead, ResponseHead
from bastion.observability.access_log import AccessLog, Observed
from bastion.observability.events import RATE_LIMITING, identity_of, is_auth_failure, security_events
from bastion.observability.metrics import GatewayMetrics
from bastion.observability.stats import TrafficStats
from bastion.observability.trail import AuditTrail

log = logging.getLogger("bastion.observer")
_NO_HEADERS = Headers()
_NO_DECISIONS: list[Decision] = []


class Observer:
    def __init__(self, *, metrics: GatewayMetrics, stats: TrafficStats, trail: AuditTrail,
                 access_log: AccessLog | None = None, anomaly: AnomalyEngine | None = None,
                 clock: Clock = SYSTEM_CLOCK, counting: bool = True, batch_interval: float = 0.1,
                 max_batch: int = 2048) -> None:
        self.metrics, self.stats, self.trail = metrics, stats, trail
        self.counting = counting
        """False when ``metrics: {enabled: false}``: no Prometheus counters, no live stats."""
        self.access_log, self.anomaly, self.clock = access_log, anomaly, clock
        self.audited = trail.log is not None
        self.idle = not (counting or self.audited or access_log is not None or anomaly is not None)
        """Every output is off: ``observe`` returns at once."""
        self.batch_interval, self.max_batch = batch_interval, max_batch
        self._pending: list[Observed] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> None:
        """Batch from now on (call on the event loop that serves requests)."""
        self._loop = asyncio.get_running_loop()

    def stop(self) -> None:
        """Process what is pending and go back to immediate processing."""
        self._loop = None
        self.flush()

    def observe(self, ex: Exchange) -> None:
        if self.idle:
            return
        try:
            rec = self._capture(ex)
        except Exception:
            self.metrics.observer_errors.inc()
            log.exception("observer failed for request %s", getattr(ex, "request_id", "?"))
            return
        if self._loop is None:
            self._process([rec])
            return
        pending = self._pending
        pending.append(rec)
        if len(pending) == 1:
            self._timer = self._loop.call_later(self.batch_interval, self.flush)
        elif len(pending) >= self.max_batch:
            self.flush()

    def observe_unrouted(self, *, method: str, path: str, client_ip: str, status: int, request_id: str,
                         received_at: float, bytes_sent: int = 0) -> None:
        """For requests answered before routing (404/405, malformed): access log, metrics, scanning."""
        head = RequestHead(method, path, path, "", _NO_HEADERS, client_ip=client_ip)
        ex = Exchange(head, RouteMatch("", {}, None), request_id, received_at, MutableHeaders(),
                      response=ResponseHead(status), bytes_sent=bytes_sent, completed_at=self.clock.now())
        self.observe(ex)

    def flush(self) -> None:
        """Process the pending batch now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if batch:
            self._process(batch)

    def _capture(self, ex: Exchange) -> Observed:
        now = ex.completed_at if ex.completed_at is not None else self.clock.now()
        status = ex.response.status if ex.response is not None else 0
        identity = identity_of(ex)
        req, route = ex.request, ex.route
        decisions = ex.decisions
        if decisions and self.audited:
            for kind, data in security_events(ex, identity, status):
                self.trail.emit(kind, data)
        return (now, ex.received_at, identity, route.route_id, route.template, req.method, req.path, req.client_ip,
                status, ex.bytes_sent, ex.upstream_duration, ex.request_id, route.params,
                decisions or _NO_DECISIONS)

    def _process(self, batch: Sequence[Observed]) -> None:
        for stage in (self._count, self._log, self._detect):
            try:
                stage(batch)
            except Exception:
                self.metrics.observer_errors.inc()
                log.exception("observer failed on a batch of %d", len(batch))

    def _count(self, batch: Sequence[Observed]) -> None:
        if not self.counting:
            return
        metrics, add = self.metrics, self.stats.add
        request, decision, rate_limited = metrics.request, metrics.decision, metrics.rate_limited
        for now, received, identity, route, _, method, _, _, status, _, upstream, _, _, decisions in batch:
            duration = now - received if now > received else 0.0
            route = route or "-"
            request(route, method, status, duration, upstream)
            blocked = False
            for d in decisions:
                if d.outcome == "deny":
                    blocked = True
                    if d.policy in RATE_LIMITING:
                        rate_limited.labels(route).inc()
                decision(d.policy, d.outcome, d.reason)
            add(now, identity, route, status, duration, blocked)

    def _log(self, batch: Sequence[Observed]) -> None:
        if self.access_log is not None:
            self.access_log.extend(batch)

    def _detect(self, batch: Sequence[Observed]) -> None:
        anomaly = self.anomaly
        if anomaly is None:
            return
        bucket = anomaly.cfg.bucket
        runs: dict[tuple[str, str, int, str, str, bool, float], list[Any]] = {}
        for now, _, identity, route, template, method, path, _, status, size, _, _, params, decisions in batch:
            key = (identity, route, status, method, template if route else path, is_auth_failure(decisions, status),
                   now // bucket)
            run = runs.get(key)
            if run is None:
                runs[key] = [now, 1, size, {"/".join(params.values()): None} if params else None]
                continue
            run[0], run[1], run[2] = max(run[0], now), run[1] + 1, run[2] + size
            if params:
                run[3]["/".join(params.values())] = None
        observe = anomaly.observe
        for (identity, route, status, method, target, failed, _), (ts, count, size, ids) in runs.items():
            first, *more = ids or (None,)
            observe(Event(ts=ts, identity=identity, route=route or "-", status=status, bytes=size, object_id=first,
                          target=target, auth_failure=failed, method=method, count=count, object_ids=tuple(more)))
