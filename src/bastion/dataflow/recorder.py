"""``FlowRecorder``: in-memory aggregation of data-flow counts, flushed to a store periodically.

``record`` is called from policies' ``on_complete`` (off the request path); it only adds to a dict
and, at most every ``flush_interval`` seconds, writes the aggregate to the store in one transaction.
A store failure keeps the counts for the next attempt and is logged without values (there are none).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from bastion.clock import Clock
from bastion.dataflow.store import FlowRow

log = logging.getLogger("bastion.dataflow")

ALL = "*"
OTHER = "(other)"
"""The operation of flows counted after ``MAX_FLOWS`` distinct ones."""
MAX_FLOWS = 10_000


class FlowStore(Protocol):
    def add(self, rows: list[FlowRow]) -> None: ...

    def rows(self) -> list[FlowRow]: ...


class FlowKey(NamedTuple):
    """A flow and one of its categories (a tuple: hashed in C, on every sampled request)."""

    route: str
    operation: str
    recipient: str
    direction: str
    category: str


@dataclass(slots=True)
class _Sampling:
    key: FlowKey
    """The flow's all-messages key."""
    count: int = 0
    """Messages since the last scanned one."""
    last: float = float("-inf")
    """Monotonic time of the last scan."""
    entry: list[float] | None = None
    """The flow's pending all-messages entry (``_pending[key]``) until the next flush: counted without a lookup."""
    seen: float = float("-inf")
    """Monotonic time of the last message (made wall-clock time when the pending rows are read)."""


class FlowRecorder:
    """Aggregates flows in memory. ``record`` counts one fully inspected message; the body policies use
    ``observe`` + ``record_categories`` instead, which inspect at most ``scans_per_second`` messages per
    flow: every message is counted, and a sampled message's categories stand for the messages since the
    previous sample (exact at low traffic, an estimate above it, and bounded CPU either way)."""

    def __init__(self, store: FlowStore | None, clock: Clock, flush_interval: float = 5.0,
                 scans_per_second: float = 20.0) -> None:
        self.store = store
        self.clock = clock
        self.flush_interval = flush_interval
        self.scan_gap = 1.0 / scans_per_second if scans_per_second > 0 else 0.0
        self._pending: dict[FlowKey, list[float]] = {}
        self._sampling: dict[tuple[str, str, str, str], _Sampling] = {}
        self._last_flush = clock.monotonic()

    def record(self, route: str, operation: str, recipient: str, direction: str,
               counts: Mapping[str, int]) -> None:
        """One message left on this flow, carrying ``counts[category]`` values of each category."""
        self._add(FlowKey(route, operation, recipient, direction, ALL), 1, 0, self.clock.now())
        self.record_categories(route, operation, recipient, direction, counts, 1)

    def observe(self, route: str, operation: str, recipient: str, direction: str) -> int:
        """Count one message; return how many messages its categories should stand for (0: skip the scan).
        (On every request of the flows it samples: the flow's pending entry held by its sampling state, so a
        message costs one lookup and one monotonic clock reading; last-seen times are made wall-clock times
        when the pending rows are read.)"""
        flow = (route, operation, recipient, direction)
        state = self._sampling.get(flow)
        if state is None:
            if len(self._sampling) >= MAX_FLOWS:  # bounded memory whatever labels callers cause
                flow = (route, OTHER, recipient, direction)
                state = self._sampling.get(flow)
            if state is None:
                state = self._sampling[flow] = _Sampling(FlowKey(*flow, ALL))
        mono = self.clock.monotonic()
        entry = state.entry
        if entry is None:  # first message since the last flush: one wall-clock reading, then monotonic only
            now = self.clock.now()
            entry = self._pending.get(state.key)
            if entry is None:
                entry = self._pending[state.key] = [0, 0, now, now]
            state.entry = entry
        entry[0] += 1
        state.seen = mono
        state.count += 1
        if mono - state.last < self.scan_gap - 1e-9:  # (float tolerance)
            if self.store is not None and mono - self._last_flush >= self.flush_interval:
                self.flush()
            return 0
        weight, state.count, state.last = state.count, 0, mono
        return weight

    def record_categories(self, route: str, operation: str, recipient: str, direction: str,
                          counts: Mapping[str, int], weight: int) -> None:
        if len(self._sampling) >= MAX_FLOWS and (route, operation, recipient, direction) not in self._sampling:
            operation = OTHER  # a flow ``observe`` folded into the overflow flow
        now = self.clock.now()
        for category, n in counts.items():
            if n > 0:
                self._add(FlowKey(route, operation, recipient, direction, category), weight, n * weight, now)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if self.store is not None and self.clock.monotonic() - self._last_flush >= self.flush_interval:
            self.flush()

    def _add(self, key: FlowKey, messages: int, items: int, now: float) -> None:
        entry = self._pending.get(key)
        if entry is None:
            self._pending[key] = [messages, items, now, now]
        else:
            entry[0] += messages
            entry[1] += items
            entry[3] = now

    def pending(self) -> list[FlowRow]:
        """What has not been flushed yet (the whole inventory when there is no store)."""
        offset = self.clock.now() - self.clock.monotonic()
        for state in self._sampling.values():  # last seen, for the flows ``observe`` counted
            entry = state.entry
            if entry is not None and state.seen + offset > entry[3]:
                entry[3] = state.seen + offset
        return [FlowRow(k.route, k.operation, k.recipient, k.direction, k.category, int(v[0]), int(v[1]),
                        v[2], v[3]) for k, v in self._pending.items()]

    def flush(self) -> None:
        self._last_flush = self.clock.monotonic()
        if self.store is None or not self._pending:
            return
        rows = self.pending()
        try:
            self.store.add(rows)
        except Exception as exc:
            log.warning("data-flow inventory flush failed (%s); %d rows kept for the next attempt",
                        type(exc).__name__, len(rows))
            return
        self._pending.clear()
        for state in self._sampling.values():
            state.entry = None
