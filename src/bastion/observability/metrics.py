"""Prometheus metrics for the gateway, in a registry of their own (exposed on the admin listener).

The per-request series are lock-free loop collectors (``loop_metrics``), updated once per batch from
the batch's counts.
Route labels are route ids (bounded by the config), never raw paths. Upstream health and token-cache
lookups are read from the live configuration at scrape time (``runtime_metrics``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from bastion.observability.loop_metrics import LoopCounter, LoopHistogram

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class GatewayMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = LoopCounter("bastion_requests", "Requests by route, method and status",
                                    ("route", "method", "status"))
        self.latency = LoopHistogram("bastion_request_duration_seconds", "Request latency by route and status class",
                                     ("route", "status"), LATENCY_BUCKETS)
        self.upstream_latency = LoopHistogram("bastion_upstream_duration_seconds", "Upstream latency by route",
                                              ("route",), LATENCY_BUCKETS)
        self.decisions = LoopCounter("bastion_policy_decisions", "Policy decisions", ("policy", "outcome"))
        for collector in (self.requests, self.latency, self.upstream_latency, self.decisions):
            r.register(collector)
        self.blocks = Counter("bastion_blocks", "Requests blocked, by policy and reason", ["policy", "reason"],
                              registry=r)
        self.rate_limited = Counter("bastion_ratelimit_rejections", "Rate-limit rejections", ["route"], registry=r)
        self.alerts = Counter("bastion_anomaly_alerts", "Anomaly alerts", ["detector", "severity"], registry=r)
        self.observer_errors = Counter("bastion_observer_errors", "Errors while observing an exchange", registry=r)
        self._status = {code: (str(code), f"{code // 100}xx") for code in range(0, 600)}

    def gauge_fn(self, name: str, doc: str, fn: Callable[[], float]) -> None:
        """A gauge read at scrape time, e.g. the audit queue depth."""
        Gauge(name, doc, registry=self.registry).set_function(fn)

    def counter_fn(self, name: str, doc: str, fn: Callable[[], float]) -> None:
        """A counter whose value a background writer keeps (e.g. events dropped), read at scrape time."""
        self.registry.register(_CounterFn(name, doc, fn))

    def _labels(self, status: int) -> tuple[str, str]:
        return self._status.get(status) or (str(status), f"{status // 100}xx")

    def count_requests(self, requests: Mapping[tuple[str, str, int], int], routes: Sequence[str],
                       statuses: Sequence[int], durations: Sequence[float]) -> None:
        """A batch: ``requests`` counts (route, method, status); the other three are per request."""
        counts = self.requests.values
        if len(requests) == 1:  # one series: the common batch
            ((route, method, status), n), = requests.items()
            code, klass_ = self._labels(status)
            key = (route, method, code)
            counts[key] = counts.get(key, 0.0) + n
            self.latency.observe_all((route, klass_), durations)
            return
        for (route, method, status), n in requests.items():
            key = (route, method, self._labels(status)[0])
            counts[key] = counts.get(key, 0.0) + n
        klass = {status: self._labels(status)[1] for status in set(statuses)}
        series = {(route, klass[status]) for route, _, status in requests}
        if len(series) == 1:
            self.latency.observe_all(series.pop(), durations)
        else:
            self.latency.observe_many(list(zip(routes, map(klass.__getitem__, statuses), strict=True)), durations)

    def decision(self, policy: str, outcome: str, reason: str, n: int = 1) -> None:
        self.decisions.inc((policy, outcome), n)
        if outcome == "deny":
            self.blocks.labels(policy, reason[:64] or "-").inc(n)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _CounterFn(Collector):
    def __init__(self, name: str, doc: str, fn: Callable[[], float]) -> None:
        self.name, self.doc, self.fn = name, doc, fn

    def collect(self) -> Any:
        yield CounterMetricFamily(self.name, self.doc, value=self.fn())

    def describe(self) -> Any:
        yield CounterMetricFamily(self.name, self.doc)
