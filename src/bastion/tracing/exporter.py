"""The OTLP/HTTP exporter: a bounded span queue on the request side, a writer thread on the other.

``submit(spans)`` runs on the event loop and only extends a deque (when the queue is full the spans
are dropped and counted: tracing never blocks or slows a request). The thread wakes every
``interval`` or when a batch is full, encodes up to ``batch_size`` spans per request
(``tracing/otlp.py``) and POSTs them as ``application/x-protobuf``; 429, 502, 503 and 504 and
connection errors are retried with backoff, other failures are counted and the batch is dropped.
``stop()`` exports what is queued, within ``timeout``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

import httpx

from bastion.tracing.otlp import Attributes, SpanRecord, encode_request

log = logging.getLogger("bastion.tracing")
RETRYABLE = frozenset({429, 502, 503, 504})
SCOPE = "bastion"


class OtlpExporter:
    def __init__(self, endpoint: str, *, headers: dict[str, str] | None = None, resource: Attributes = (),
                 timeout: float = 10.0, max_queue: int = 8192, batch_size: int = 512, interval: float = 1.0,
                 retries: int = 2, backoff: float = 0.5, transport: httpx.BaseTransport | None = None) -> None:
        from bastion import __version__

        self.endpoint, self.resource, self.timeout = endpoint, resource, timeout
        self.max_queue, self.batch_size, self.interval = max_queue, batch_size, interval
        self.retries, self.backoff, self.version = retries, backoff, __version__
        self._headers = {**(headers or {}), "content-type": "application/x-protobuf"}
        self._transport = transport
        self._queue: deque[SpanRecord] = deque()
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.exported = self.dropped = self.failed = 0

    def __repr__(self) -> str:  # header values may be credentials: never in a repr
        return f"OtlpExporter(endpoint={self.endpoint.split('?')[0]!r})"

    @property
    def depth(self) -> int:
        return len(self._queue)

    def submit(self, spans: list[SpanRecord]) -> None:
        queue = self._queue
        if len(queue) + len(spans) > self.max_queue:
            self.dropped += len(spans)
            return
        queue.extend(spans)
        if len(queue) >= self.batch_size:
            self._wake.set()

    def start(self) -> None:
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="bastion-otlp", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Export everything queued (bounded by ``timeout``), then stop the thread."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self.timeout + 1)
            self._thread = None

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout, transport=self._transport, trust_env=False) as client:
            while not self._stopping:
                self._wake.wait(self.interval)
                self._wake.clear()
                self._export(client, deadline=None)
            self._export(client, deadline=time.monotonic() + self.timeout)

    def _export(self, client: httpx.Client, deadline: float | None) -> None:
        queue = self._queue
        while queue and (deadline is None or time.monotonic() < deadline):
            batch = [queue.popleft() for _ in range(min(self.batch_size, len(queue)))]
            body = encode_request(batch, self.resource, SCOPE, self.version)
            if self._post(client, body, deadline):
                self.exported += len(batch)
            else:
                self.failed += len(batch)
            if deadline is None and len(queue) < self.batch_size and not self._stopping:
                return  # a partial batch waits for the next interval

    def _post(self, client: httpx.Client, body: bytes, deadline: float | None) -> bool:
        for attempt in range(self.retries + 1):
            try:
                resp = client.post(self.endpoint, content=body, headers=self._headers)
            except httpx.HTTPError as exc:
                status, reason = None, type(exc).__name__
            else:
                if resp.status_code < 300:
                    return True
                status, reason = resp.status_code, f"HTTP {resp.status_code}"
            retry = status is None or status in RETRYABLE
            pause = self.backoff * 2 ** attempt
            if not retry or attempt == self.retries or (deadline is not None and time.monotonic() + pause > deadline):
                log.warning("OTLP export to %s failed: %s", self.endpoint.split("?")[0], reason)
                return False
            time.sleep(pause)  # the exporter's own thread: never the event loop
        return False
