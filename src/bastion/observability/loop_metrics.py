"""Lock-free Prometheus counters and histograms for the per-request hot path.

``prometheus_client``'s metrics take a lock on every increment and walk the bucket list in Python;
the observer runs on the event loop thread only, as do scrapes (the admin App), so these keep plain
dicts and a ``bisect`` and render through the client's own exposition at scrape time. Anything
updated from other threads keeps using ``prometheus_client`` types.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString


class LoopCounter(Collector):
    def __init__(self, name: str, doc: str, labelnames: tuple[str, ...]) -> None:
        self.name, self.doc, self.labelnames = name, doc, labelnames
        self.values: dict[tuple[str, ...], float] = {}

    def inc(self, key: tuple[str, ...], amount: float = 1.0) -> None:
        values = self.values
        values[key] = values.get(key, 0.0) + amount

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(self.name, self.doc, labels=list(self.labelnames))
        for key, value in list(self.values.items()):
            family.add_metric(list(key), value)
        yield family

    def describe(self) -> Iterator[Metric]:
        yield CounterMetricFamily(self.name, self.doc, labels=list(self.labelnames))


class LoopHistogram(Collector):
    def __init__(self, name: str, doc: str, labelnames: tuple[str, ...], buckets: tuple[float, ...]) -> None:
        self.name, self.doc, self.labelnames, self.bounds = name, doc, labelnames, buckets
        self.values: dict[tuple[str, ...], list[float]] = {}
        """Per label set: a count per bucket (the last one is +Inf), then the sum."""

    def observe(self, key: tuple[str, ...], value: float) -> None:
        counts = self.values.get(key)
        if counts is None:
            counts = self.values[key] = [0.0] * (len(self.bounds) + 2)
        counts[bisect_left(self.bounds, value)] += 1
        counts[-1] += value

    def collect(self) -> Iterator[Metric]:
        family = HistogramMetricFamily(self.name, self.doc, labels=list(self.labelnames))
        for key, counts in list(self.values.items()):
            cumulative, buckets = 0.0, []
            for bound, n in zip((*map(floatToGoString, self.bounds), "+Inf"), counts[:-1], strict=True):
                cumulative += n
                buckets.append((bound, cumulative))
            family.add_metric(list(key), buckets, sum_value=counts[-1])
        yield family

    def describe(self) -> Iterator[Metric]:
        yield HistogramMetricFamily(self.name, self.doc, labels=list(self.labelnames))
