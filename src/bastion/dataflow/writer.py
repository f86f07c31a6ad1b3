"""``ThreadedFlowStore``: the recorder's flushes written on a worker thread, off the event loop.

The recorder flushes from the request path (every ``flush_interval`` seconds, on the event loop). A
SQLite transaction there stalls every request in flight: 1.5–3.4 ms per flush on this machine's disk,
and up to the connection's 5 s lock timeout when another gateway process holds the shared file. This
store takes the rows at once and writes them on one daemon thread. A failed write keeps its rows (merged
per flow, so a store that stays down costs memory bounded by the number of flows, not by time) and adds
them to the next write: the counters are additive, and a failed transaction rolled back, so nothing is
counted twice or lost. ``close`` writes what is queued before it returns (shutdown).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable

from bastion.dataflow.store import FlowRow, SqliteFlowStore

log = logging.getLogger("bastion.dataflow")

_STOP = None


def merge(rows: Iterable[FlowRow]) -> list[FlowRow]:
    """One row per flow and category: counts summed, first and last seen widened."""
    merged: dict[tuple[str, str, str, str, str], FlowRow] = {}
    for r in rows:
        key = (r.route, r.operation, r.recipient, r.direction, r.category)
        old = merged.get(key)
        merged[key] = r if old is None else FlowRow(
            *key, old.messages + r.messages, old.items + r.items,
            min(old.first_seen, r.first_seen), max(old.last_seen, r.last_seen))
    return list(merged.values())


class ThreadedFlowStore:
    def __init__(self, inner: SqliteFlowStore) -> None:
        self.inner = inner
        self.failures = 0
        self._queue: queue.SimpleQueue[list[FlowRow] | None] = queue.SimpleQueue()
        self._carry: list[FlowRow] = []
        """Rows of failed writes (the worker's own: only the worker thread touches them)."""
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._queued = 0

    def add(self, rows: list[FlowRow]) -> None:
        """Queue ``rows`` for the worker; never blocks on the database."""
        if not rows:
            return
        with self._lock:
            self._queued += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="bastion-dataflow", daemon=True)
                self._thread.start()
        self._queue.put(list(rows))

    def rows(self) -> list[FlowRow]:
        """What the store holds once the queued writes are done (reports, tests)."""
        self.wait()
        return self.inner.rows()

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until every queued write was attempted; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._queued == 0, timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued (one last attempt for rows carried from failed writes) and stop the worker."""
        thread = self._thread
        if thread is None:
            return
        self._queue.put(_STOP)
        thread.join(timeout)
        self._thread = None
        if thread.is_alive():
            log.warning("data-flow writer did not finish within %.0fs; unwritten counts are lost", timeout)

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is _STOP:
                if self._carry:
                    self._write([])
                return
            self._write(batch)
            with self._idle:
                self._queued -= 1
                self._idle.notify_all()

    def _write(self, batch: list[FlowRow]) -> None:
        rows = merge([*self._carry, *batch]) if self._carry else batch
        try:
            self.inner.add(rows)
        except Exception as exc:  # never the values: there are none, only counts and labels
            self.failures += 1
            self._carry = rows  # one row per flow already: the recorder's pending, or merged above
            log.warning("data-flow inventory write failed (%s); %d rows kept for the next attempt",
                        type(exc).__name__, len(self._carry))
            return
        self._carry = []
