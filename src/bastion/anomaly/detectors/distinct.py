"""Distinct values per key within a time window, with a hard cap on what is remembered."""

from __future__ import annotations

from bastion.anomaly.windows import BoundedMap


class DistinctWindow:
    """For each key, the distinct values seen in the last ``window`` seconds, at most ``cap`` of them.

    ``add`` returns ``(distinct count, last-seen time of the oldest remembered value)``. Memory per key is
    bounded by ``cap``; keys by ``max_keys`` (least recently used evicted).
    """

    def __init__(self, window: float, cap: int, max_keys: int) -> None:
        self.window, self.cap = window, cap
        self.keys: BoundedMap[dict[str, float]] = BoundedMap(max_keys, dict)

    def add(self, key: str, value: str, ts: float) -> tuple[int, float]:
        seen = self.keys.get(key)  # value -> last seen, oldest first
        horizon = ts - self.window
        while seen:
            oldest = next(iter(seen))
            if seen[oldest] >= horizon:
                break
            del seen[oldest]
        if value in seen:
            del seen[value]
            seen[value] = ts
        elif len(seen) < self.cap:
            seen[value] = ts
        return len(seen), (seen[next(iter(seen))] if seen else ts)
