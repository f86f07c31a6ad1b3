"""Lock-free Prometheus counters and histograms for the per-request hot path.

``prometheus_client``'s metrics take a lock on every increment and walk the bucket list in Python;
the observer runs on the event loop thread only, as do scrapes (the admin App), so these keep plain
dicts and a ``bisect`` and render through the client's own exposition at scrape time. Anything
updated from other threads keeps using ``prometheus_client`` types.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import _count_elements  # type: ignore[attr-defined]  # Counter's own C helper
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import repeat
from operator import add, sub
from typing import TypeVar

from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

K = TypeVar("K", bound=Hashable)


def tally(items: Iterable[K]) -> dict[K, int]:
    """How many times each item occurs, counted in C: ``Counter(items)`` without its per-call Python
    (``Counter.__init__``/``update`` and their ``isinstance`` checks cost ~2 µs a call)."""
    counts: dict[K, int] = {}
    _count_elements(counts, items)
    return counts


def uniform(column: Sequence[Hashable]) -> bool:
    """Whether every value of a non-empty ``column`` equals the first, compared in C (``count``, which
    skips the comparison for the same object): one client or one route, the common batch."""
    return column.count(column[0]) == len(column)


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
        self.observe_all(key, [value])

    def _counts(self, key: tuple[str, ...]) -> list[float]:
        counts = self.values.get(key)
        if counts is None:
            counts = self.values[key] = [0.0] * (len(self.bounds) + 2)
        return counts

    def observe_all(self, key: tuple[str, ...], values: Sequence[float]) -> None:
        """Every one of ``values`` under ``key``: sorted once, then each bound is looked up in them
        (``bisect_right``: how many values are ≤ it), so the per-value work is the sort's, in C, and the
        per-bucket work is a dozen mapped look-ups and additions."""
        if not values:
            return
        counts = self._counts(key)
        at_most = [*map(bisect_right, repeat(sorted(values)), self.bounds), len(values)]
        counts[:-1] = map(add, counts[:-1], map(sub, at_most, [0, *at_most[:-1]]))
        counts[-1] += sum(values)

    def observe_many(self, keys: Sequence[tuple[str, ...]], values: Sequence[float]) -> None:
        """``values[i]`` under ``keys[i]``: bucketed and counted in C (``map``, ``tally``); Python runs
        per distinct (key, bucket), and per value for the sums."""
        table = self.values
        for (key, bucket), n in tally(zip(keys, map(bisect_left, repeat(self.bounds), values),
                                            strict=True)).items():
            self._counts(key)[bucket] += n
        for key, value in zip(keys, values, strict=True):
            table[key][-1] += value

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
