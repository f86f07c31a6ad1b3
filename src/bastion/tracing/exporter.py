"""The OTLP/HTTP exporter: a bounded span queue on the request side, a writer thread on the other.

``submit(spans)`` runs on the event loop and only extends a deque (when the queue is full the spans
are dropped and counted: tracing never blocks or slows a request). The thread wakes every
``interval`` or when a batch is full, encodes up to ``batch_size`` spans per request
(``tracing/otlp.py``) and POSTs them as ``application/x-protobuf``; 429, 502, 503 and 504 and
connection errors are retried with backoff, other failures are counted and the batch is dropped.
``stop()`` exports what is queued, within ``timeout``.

The POST goes through a ``Poster`` port: ``HttpPoster`` keeps one connection alive with the stdlib's
``http.client`` (TLS verified against the system store), a small fraction of an httpx request's CPU,
which matters because the exporter shares the gateway's GIL.
"""

from __future__ import annotations

import http.client
import logging
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from urllib.parse import urlsplit

from bastion.tracing.otlp import Attributes, SpanRecord, encode_request

log = logging.getLogger("bastion.tracing")
RETRYABLE = frozenset({429, 502, 503, 504})
SCOPE = "bastion"
Poster = Callable[[bytes], int]
"""POST one encoded request; return the HTTP status, raise ``OSError`` or ``http.client.HTTPException``."""


class HttpPoster:
    def __init__(self, url: str, headers: dict[str, str], timeout: float) -> None:
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname or "", parts.port or (443 if self.https else 80)
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.headers = {**headers, "content-type": "application/x-protobuf"}
        self.timeout = timeout
        self.context = ssl.create_default_context() if self.https else None
        self._conn: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.context is not None:
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=self.context)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def __call__(self, body: bytes) -> int:
        reused = self._conn is not None
        conn = self._conn or self._connect()
        self._conn = None
        try:
            conn.request("POST", self.path, body=body, headers=self.headers)
            resp = conn.getresponse()
            resp.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            if reused:  # the collector closed the idle connection: once more on a new one
                return self(body)
            raise
        if resp.will_close:
            conn.close()
        else:
            self._conn = conn
        return resp.status

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class OtlpExporter:
    def __init__(self, endpoint: str, *, headers: dict[str, str] | None = None, resource: Attributes = (),
                 timeout: float = 10.0, max_queue: int = 8192, batch_size: int = 512, interval: float = 1.0,
                 retries: int = 2, backoff: float = 0.5, poster: Poster | None = None) -> None:
        from bastion import __version__

        self.endpoint, self.resource, self.timeout = endpoint, resource, timeout
        self.max_queue, self.batch_size, self.interval = max_queue, batch_size, interval
        self.retries, self.backoff, self.version = retries, backoff, __version__
        self._poster = poster or HttpPoster(endpoint, headers or {}, timeout)
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
        try:
            while not self._stopping:
                self._wake.wait(self.interval)
                self._wake.clear()
                self._export(deadline=None)
            self._export(deadline=time.monotonic() + self.timeout)
        finally:
            close = getattr(self._poster, "close", None)
            if close is not None:
                close()

    def _export(self, deadline: float | None) -> None:
        queue = self._queue
        while queue and (deadline is None or time.monotonic() < deadline):
            batch = [queue.popleft() for _ in range(min(self.batch_size, len(queue)))]
            body = encode_request(batch, self.resource, SCOPE, self.version)
            try:
                ok = self._post(body, deadline)
            except Exception:  # a broken poster must not end the thread
                log.exception("OTLP export failed")
                ok = False
            if ok:
                self.exported += len(batch)
            else:
                self.failed += len(batch)
            if deadline is None and len(queue) < self.batch_size and not self._stopping:
                return  # a partial batch waits for the next interval

    def _post(self, body: bytes, deadline: float | None) -> bool:
        for attempt in range(self.retries + 1):
            status: int | None
            try:
                status = self._poster(body)
            except (OSError, http.client.HTTPException) as exc:
                status, reason = None, type(exc).__name__
            else:
                if status < 300:
                    return True
                reason = f"HTTP {status}"
            retry = status is None or status in RETRYABLE
            pause = self.backoff * 2 ** attempt
            if not retry or attempt == self.retries or (deadline is not None and time.monotonic() + pause > deadline):
                log.warning("OTLP export to %s failed: %s", self.endpoint.split("?")[0], reason)
                return False
            time.sleep(pause)  # the exporter's own thread: never the event loop
        return False
