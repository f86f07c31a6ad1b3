"""Bounded streaming state: an LRU map of keys, rolling bucketed counters and EWMA baselines."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class BoundedMap(Generic[V]):
    """At most ``max_keys`` entries; the least recently used key is evicted first."""

    __slots__ = ("_data", "factory", "max_keys")

    def __init__(self, max_keys: int, factory: Callable[[], V]) -> None:
        self._data: OrderedDict[str, V] = OrderedDict()
        self.max_keys, self.factory = max_keys, factory

    def get(self, key: str) -> V:
        value = self._data.get(key)
        if value is None:
            value = self._data[key] = self.factory()
            if len(self._data) > self.max_keys:
                self._data.popitem(last=False)
        else:
            self._data.move_to_end(key)
        return value

    def peek(self, key: str) -> V | None:
        return self._data.get(key)

    def __len__(self) -> int:
        return len(self._data)


class Rolling:
    """Counts in ``n`` buckets of ``width`` seconds; ``total`` is the sum over the last ``n`` buckets.
    Time never goes back: a late event counts in the current bucket."""

    __slots__ = ("counts", "first", "last_bucket", "n", "width")

    def __init__(self, width: float, n: int) -> None:
        self.width, self.n = width, n
        self.counts = [0.0] * n
        self.last_bucket = -1
        self.first = [0.0] * n
        """Time of the first event in each bucket (for an episode's ``started_at``)."""

    def add(self, ts: float, amount: float = 1.0) -> None:
        b = int(ts // self.width)
        if b > self.last_bucket:
            if self.last_bucket >= 0:
                for k in range(1, min(b - self.last_bucket - 1, self.n) + 1):
                    self.counts[(self.last_bucket + k) % self.n] = 0.0
            self.counts[b % self.n] = 0.0
            self.first[b % self.n] = ts
            self.last_bucket = b
        self.counts[self.last_bucket % self.n] += amount

    def total(self) -> float:
        return sum(self.counts)

    def started_at(self, ts: float) -> float:
        """Earliest first-event time among non-empty buckets in the window."""
        horizon = ts - self.n * self.width
        starts = [self.first[i] for i in range(self.n) if self.counts[i] > 0 and self.first[i] > horizon]
        return min(starts, default=ts)


class Baseline:
    """Exponentially weighted mean and variance of a per-window quantity, with a warm-up count."""

    __slots__ = ("alpha", "mean", "samples", "var")

    def __init__(self, alpha: float = 0.1) -> None:
        self.alpha, self.mean, self.var, self.samples = alpha, 0.0, 0.0, 0

    def update(self, x: float) -> None:
        self.samples += 1
        if self.samples == 1:
            self.mean = x
            return
        d = x - self.mean
        self.mean += self.alpha * d
        self.var = (1 - self.alpha) * (self.var + self.alpha * d * d)

    def threshold(self, factor: float, sigmas: float, floor: float) -> float:
        return max(floor, self.mean * factor, self.mean + sigmas * math.sqrt(self.var))
