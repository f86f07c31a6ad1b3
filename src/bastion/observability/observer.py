"""The Observer: what the engine calls once per exchange, after the response was sent.

``observe(ex)`` is synchronous, cheap and never raises. It captures one ``Observed`` tuple of plain
values and, once ``start()`` ran on the event loop, appends it to a batch; the batch is processed every
``batch_interval`` (200 ms; or at ``max_batch`` records) on the loop: Prometheus counters, live stats,
the anomaly detectors, then the batch's columns go to the access-log writer thread, which renders what
was queued once a second from them without transposing the batch again. The batch is
processed column by column (``zip(*batch)``; counting, ``map`` and ``compress`` over the columns run in
C; a column of one value, e.g. one client, is recognised by ``count`` and not counted value by value),
so Python runs once per distinct route/status, identity or run rather than once per request
(decision 0005).
The detectors get one ``Event`` per run of identical requests (same identity, route, status, target
and detector bucket) with its ``count``, so a busy identity costs them once per batch.
Audit events for the gateway's denials are enqueued at once. Before ``start()`` (tests, the replay
tool) every observation is processed immediately, as a batch of one.

Readers of the live state (the admin API) call ``flush()`` first, so they never see a stale batch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from itertools import chain, compress, repeat
from operator import attrgetter, eq, floordiv, is_not
from typing import Any

from bastion.anomaly.engine import AnomalyEngine
from bastion.anomaly.model import Event
from bastion.chain.exchange import Decision, Exchange, RouteMatch
from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.http.headers import Headers, MutableHeaders
from bastion.http.messages import RequestHead, ResponseHead
from bastion.observability.access_log import AccessLog, Columns, Observed
from bastion.observability.events import (
    AUTHENTICATING,
    RATE_LIMITING,
    identity_of,
    is_auth_failure,
    security_events,
)
from bastion.observability.loop_metrics import tally
from bastion.observability.metrics import GatewayMetrics
from bastion.observability.stats import TrafficStats
from bastion.observability.trail import AuditTrail

log = logging.getLogger("bastion.observer")
_NO_HEADERS = Headers()
_NO_DECISIONS: tuple[Decision, ...] = ()
"""Not a list: a record of only atomic values is untracked by the garbage collector's first pass."""


class Observer:
    def __init__(self, *, metrics: GatewayMetrics, stats: TrafficStats, trail: AuditTrail,
                 access_log: AccessLog | None = None, anomaly: AnomalyEngine | None = None,
                 clock: Clock = SYSTEM_CLOCK, counting: bool = True, batch_interval: float = 0.2,
                 max_batch: int = 2048) -> None:
        self.metrics, self.stats, self.trail = metrics, stats, trail
        self.counting = counting
        """False when ``metrics: {enabled: false}``: no Prometheus counters, no live stats."""
        self.access_log, self.anomaly, self.clock = access_log, anomaly, clock
        self.audited = trail.log is not None
        self.idle = not (counting or self.audited or access_log is not None or anomaly is not None)
        """Every output is off: ``observe`` returns at once."""
        self.batch_interval, self.max_batch = batch_interval, max_batch
        self._bucket = anomaly.cfg.bucket if anomaly is not None else 1.0
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
        req, route = ex.request, ex.route
        identity = "ip:" + req.client_ip if ex.principal is None else identity_of(ex)  # identity_of, inlined
        decisions = ex.decisions
        if decisions and self.audited:
            for kind, data in security_events(ex, identity, status):
                self.trail.emit(kind, data)
        received = ex.received_at
        duration = now - received if now > received else 0.0
        return (now, received, duration, identity, route.route_id, route.template, req.method, req.path,
                req.client_ip, status, ex.bytes_sent, ex.upstream_duration, ex.request_id, route.params,
                decisions or _NO_DECISIONS)

    def _process(self, batch: Sequence[Observed]) -> None:
        try:
            whole = _Columns(batch)
            parts = [whole] if whole.within(self._bucket) else [_Columns(p) for p in self._split(batch, whole.done)]
        except Exception:
            self.metrics.observer_errors.inc()
            log.exception("observer failed on a batch of %d", len(batch))
            parts = []
        for stage in (self._count, self._detect):
            for cols in parts:
                try:
                    stage(cols)
                except Exception:
                    self.metrics.observer_errors.inc()
                    log.exception("observer failed on a batch of %d", len(batch))
        if self.access_log is not None:
            try:
                if parts:
                    self.access_log.extend_columns(whole.columns)
                else:
                    self.access_log.extend(batch)
            except Exception:
                self.metrics.observer_errors.inc()
                log.exception("observer failed on a batch of %d", len(batch))

    def _split(self, batch: Sequence[Observed], done: Sequence[float]) -> list[list[Observed]]:
        """``batch`` in parts that each completed within one second (the live stats count per second) and
        one detector bucket (a run of identical requests is counted within one), selected in C."""
        bucket = self._bucket
        keys: list[Any] = list(map(int, done))
        if not float(bucket).is_integer():
            keys = list(zip(keys, map(floordiv, done, repeat(bucket)), strict=True))
        return [list(compress(batch, map(eq, keys, repeat(key)))) for key in dict.fromkeys(keys)]

    def _count(self, c: _Columns) -> None:
        if not self.counting:
            return
        metrics = self.metrics
        if c.one_series:
            requests = {(c.routes[0], c.method[0], c.status[0]): c.n}
        else:
            requests = tally(zip(c.routes, c.method, c.status, strict=True))
        metrics.count_requests(requests, c.routes, c.status, c.durations)
        routes: dict[str, int] = {}
        errors = 0
        for (route, _, status), n in requests.items():
            routes[route] = routes.get(route, 0) + n
            if status >= 500:
                errors += n
        if None in c.upstream:
            answered = list(map(is_not, c.upstream, repeat(None)))
            upstream: Sequence[float] = list(compress(c.upstream, answered))
            upstream_routes: Sequence[str] | None = list(compress(c.routes, answered)) if len(routes) > 1 else None
        else:
            upstream, upstream_routes = c.upstream, c.routes if len(routes) > 1 else None
        if upstream_routes is None:
            metrics.upstream_latency.observe_all((next(iter(routes)),), upstream)
        else:
            metrics.upstream_latency.observe_many(list(zip(upstream_routes, strict=True)), upstream)
        blocked = 0
        for (policy, outcome, reason), n in c.verdicts.items() if c.verdicts else ():
            metrics.decision(policy, outcome, reason, n)
        if c.denied:
            for route, decisions in zip(c.routes, c.decisions, strict=True):
                denied = False
                for d in decisions:
                    if d.outcome == "deny":
                        denied = True
                        if d.policy in RATE_LIMITING:
                            metrics.rate_limited.labels(route).inc()
                blocked += denied
        identities = {c.identity[0]: c.n} if c.one_client else tally(c.identity)
        self.stats.add_many(c.done[0], c.durations, identities, routes, errors, blocked)

    def _detect(self, c: _Columns) -> None:
        anomaly = self.anomaly
        if anomaly is None:
            return
        if c.unrouted:
            targets: Sequence[str] = list(map(_target, c.route, c.template, c.path))
        else:
            targets = c.template
        if c.auth_denied:
            failed: Iterable[bool] = map(is_auth_failure, c.decisions, c.status)
        elif c.one_client and c.one_series and targets.count(targets[0]) == c.n:
            # one run, e.g. one client's polling: seen column by column, in C
            status = c.status[0]
            self._event((c.identity[0], c.route[0], status, c.method[0], targets[0], status == 401), max(c.done),
                        c.n, sum(c.size), _object_ids(c.params))
            return
        else:
            failed = map(eq, c.status, repeat(401))
        keys = list(zip(c.identity, c.route, c.status, c.method, targets, failed, strict=True))
        if keys.count(keys[0]) == len(keys):  # one run
            self._event(keys[0], max(c.done), len(keys), sum(c.size), _object_ids(c.params))
            return
        runs: dict[tuple[str, str, int, str, str, bool], list[Any]] = {}
        for key, now, size, params in zip(keys, c.done, c.size, c.params, strict=True):
            run = runs.get(key)
            if run is None:
                runs[key] = [now, 1, size, {"/".join(params.values()): None} if params else {}]
                continue
            run[0], run[1], run[2] = max(run[0], now), run[1] + 1, run[2] + size
            if params:
                run[3]["/".join(params.values())] = None
        for key, (ts, count, size, ids) in runs.items():
            self._event(key, ts, count, size, list(ids))

    def _event(self, key: tuple[str, str, int, str, str, bool], ts: float, count: int, size: int,
               ids: list[str]) -> None:
        assert self.anomaly is not None
        identity, route, status, method, target, failed = key
        first, *more = ids or (None,)
        self.anomaly.observe(Event(ts, identity, route or "-", status, size, first, target, failed, method, count,
                                   tuple(more)))  # positional: Event's field order


def _object_ids(params: Sequence[dict[str, str]]) -> list[str]:
    """The distinct object ids (path parameters joined) of a run, in order."""
    return list(dict.fromkeys(map("/".join, map(dict.values, filter(None, params)))))


def _target(route: str, template: str, path: str) -> str:
    return template if route else path


class _Columns:
    """One part of a batch, column by column (``zip(*part)``, in C), with what several outputs share."""

    __slots__ = ("auth_denied", "columns", "decisions", "denied", "done", "durations", "identity", "method", "n",
                 "one_client", "one_series", "params", "path", "route", "routes", "size", "status", "template",
                 "unrouted", "upstream", "verdicts")

    def __init__(self, part: Sequence[Observed]) -> None:
        self.columns: Columns = tuple(zip(*part, strict=True))
        """Every column of the part (the access log renders the batch from them)."""
        (self.done, _, self.durations, self.identity, self.route, self.template, self.method, self.path, _,
         self.status, self.size, self.upstream, _, self.params, self.decisions) = self.columns
        n = self.n = len(part)
        route, method, status = self.route, self.method, self.status
        self.unrouted = "" in route
        self.routes: Sequence[str] = list(map(_DASH.get, route, route)) if self.unrouted else route
        """Route ids, ``-`` for requests that matched none (as the metrics label them)."""
        # one value in a column, compared in C (``count`` skips the comparison for the same object)
        self.one_client = self.identity.count(self.identity[0]) == n
        """One identity: the common batch, e.g. one client polling."""
        self.one_series = route.count(route[0]) == n and method.count(method[0]) == n and status.count(status[0]) == n
        """One (route, method, status): one request counter series."""
        flat = list(chain.from_iterable(self.decisions)) if any(self.decisions) else None
        self.verdicts: dict[tuple[str, str, str], int] = tally(map(_VERDICT, flat)) if flat else {}
        """Decisions in the part: (policy, outcome, reason) → how many."""
        self.denied = self.auth_denied = False
        if flat:
            self.denied = any(outcome == "deny" for _, outcome, _ in self.verdicts)
            self.auth_denied = any(outcome == "deny" and policy in AUTHENTICATING
                                   for policy, outcome, _ in self.verdicts)

    def within(self, bucket: float) -> bool:
        """Whether every record completed within one second and one ``bucket``."""
        first, last = min(self.done), max(self.done)
        return int(first) == int(last) and first // bucket == last // bucket


_DASH = {"": "-"}
_VERDICT = attrgetter("policy", "outcome", "reason")
