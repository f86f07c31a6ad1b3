"""Metrics read from the live configuration at scrape time: upstream health and token-cache lookups.

Nothing here runs per request. The upstream pools keep their passive-health state (the circuit
breaker's consecutive failures) and the ``jwt``/``introspection`` policies' verified-token caches count
their hits and misses as plain integers; this collector reads the gateway's current ``Runtime`` when
``/metrics`` is scraped, so a configuration reload simply shows the new routes (counters of replaced
caches restart from zero, which Prometheus handles as a counter reset).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from bastion.tokens.cache import VerifiedCache

log = logging.getLogger("bastion.observability")

UPSTREAM_UP = "bastion_upstream_up"
UPSTREAM_FAILURES = "bastion_upstream_consecutive_failures"
CACHE_LOOKUPS = "bastion_token_cache_lookups"
CACHE_HIT_RATIO = "bastion_token_cache_hit_ratio"


class RuntimeCollector(Collector):
    def __init__(self, current: Callable[[], Any]) -> None:
        self.current = current
        """Returns the gateway's active ``Runtime`` (or None before it starts)."""

    def describe(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        yield from self._families().values()

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        families = self._families()
        try:
            runtime = self.current()
            if runtime is not None:
                _upstreams(runtime, families)
                _token_caches(runtime, families)
        except Exception:  # a scrape must not fail because of one collector
            log.exception("runtime metrics failed")
        yield from families.values()

    @staticmethod
    def _families() -> dict[str, GaugeMetricFamily | CounterMetricFamily]:
        return {
            UPSTREAM_UP: GaugeMetricFamily(UPSTREAM_UP, "1 while the upstream's circuit breaker is closed (passive "
                                                        "health from real traffic), 0 while it is open",
                                           labels=["upstream"]),
            UPSTREAM_FAILURES: GaugeMetricFamily(UPSTREAM_FAILURES, "Consecutive failed upstream attempts",
                                                 labels=["upstream"]),
            CACHE_LOOKUPS: CounterMetricFamily(CACHE_LOOKUPS, "Verified-token cache lookups by policy, route, result",
                                               labels=["policy", "route", "result"]),
            CACHE_HIT_RATIO: GaugeMetricFamily(CACHE_HIT_RATIO, "Verified-token cache hits / lookups",
                                                 labels=["policy", "route"]),
        }


def _upstreams(runtime: Any, families: dict[str, Any]) -> None:
    for name, upstream in sorted(runtime.upstreams.items()):
        pool = getattr(upstream, "pool", None)
        if pool is None:
            continue
        families[UPSTREAM_UP].add_metric([name], 1.0 if pool.healthy else 0.0)
        families[UPSTREAM_FAILURES].add_metric([name], float(pool.failures))


def _token_caches(runtime: Any, families: dict[str, Any]) -> None:
    for route in runtime.routes:
        for policy in route.chain.policies:
            cache = getattr(policy, "cache", None)
            if not isinstance(cache, VerifiedCache):
                continue
            labels = [policy.name, route.id]
            families[CACHE_LOOKUPS].add_metric([*labels, "hit"], float(cache.hits))
            families[CACHE_LOOKUPS].add_metric([*labels, "miss"], float(cache.misses))
            lookups = cache.hits + cache.misses
            if lookups:
                families[CACHE_HIT_RATIO].add_metric(labels, cache.hits / lookups)
