"""Pooled HTTP/1.1 client for upstreams, on asyncio protocols with httptools' response parser.

Measured against aiohttp and httpx in ``make bench`` (see docs/decisions/0002-upstream-client.md).
Third-party and socket exceptions are mapped once, here, to ``UpstreamUnavailable`` and
``UpstreamTimeout``; their text goes to logs only.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from itertools import chain
from typing import cast

import httptools

from bastion.errors import UpstreamError, UpstreamTimeout, UpstreamUnavailable
from bastion.server.wire import LAST_CHUNK, chunk

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
BODY_BUFFER = 256 * 1024
"""Unread response-body bytes a connection holds before it stops reading from its upstream (a slow
client and a fast upstream would otherwise buffer the whole response in the gateway)."""


@dataclass(slots=True)
class PoolSettings:
    host: str
    port: int
    ssl: ssl.SSLContext | None
    server_hostname: str | None
    connect_timeout: float = 2.0
    read_timeout: float = 30.0
    max_connections: int = 256
    max_idle: int = 64
    idle_timeout: float = 30.0
    retries: int = 1
    breaker_failures: int = 5
    breaker_cooldown: float = 10.0


class UpstreamResponse:
    __slots__ = ("_conn", "content_length", "headers", "status")

    def __init__(self, conn: UpstreamConnection, status: int, headers: list[tuple[str, str]],
                 content_length: int | None) -> None:
        self._conn = conn
        self.status = status
        self.headers = headers
        self.content_length = content_length

    @property
    def complete(self) -> bool:
        return self._conn.message_done

    async def read_all(self, limit: int) -> bytes | None:
        """The whole body, or None if it exceeds ``limit`` (the connection is then discarded)."""
        out = []
        size = 0
        async for piece in self._conn.body_chunks():
            size += len(piece)
            if size > limit:
                self._conn.abort()
                return None
            out.append(piece)
        return b"".join(out)

    def take_complete_body(self) -> bytes | None:
        return self._conn.take_complete_body()

    def iter_body(self) -> AsyncIterator[bytes]:
        return self._conn.body_chunks()

    def release(self) -> None:
        self._conn.finish()


class HeadTooLarge(Exception):
    """Raised in the parser's callback to stop it; ``data_received`` then aborts the connection."""


class UpstreamConnection(asyncio.Protocol):
    head_limit = 0
    """Bytes a response head may take, 0 for no limit (the gateway's own upstreams). Checked once per head
    and per read while a head is incomplete, never per header line."""

    def __init__(self, pool: UpstreamPool) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.reusable = True
        self.idle_since = 0.0
        self.message_done = False
        self._parser = httptools.HttpResponseParser(self)
        self._head: asyncio.Future[tuple[int, list[tuple[str, str]]]] | None = None
        self._headers: list[tuple[str, str]] = []
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        """Bytes in ``_chunks``: reading pauses past ``BODY_BUFFER`` until the reader takes them."""
        self._waiter: asyncio.Future[None] | None = None
        self._error: UpstreamError | None = None
        self._got_bytes = False
        self._head_only = False
        self._paused = False
        self.deadline: float | None = None
        self._head_pending = 0
        """Bytes read while the head was incomplete (httptools buffers a header line until it ends, so this
        bounds that buffer to ``head_limit`` plus one read)."""

    # -- protocol callbacks
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is None and self._close_delimited():
            self.message_done = True  # RFC 9112 §6.3, last rule: the body ran to the end of the connection
            self.reusable = False
            self._wake()
        self.closed = True
        self.pool.forget(self)
        if not self.message_done:
            self._fail(UpstreamUnavailable("upstream closed the connection"))

    def _close_delimited(self) -> bool:
        """A response head arrived with neither Content-Length nor Transfer-Encoding, and the upstream
        then closed cleanly (a reset, or a connection we aborted, is not an end)."""
        head = self._head
        return (not self.closed and not self.message_done and head is not None and head.done()
                and not head.cancelled() and head.exception() is None
                and not any(k in ("content-length", "transfer-encoding") for k, _ in self._headers))

    def data_received(self, data: bytes) -> None:
        self._got_bytes = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self.reusable = False
            if self._error is None:
                self._fail(UpstreamUnavailable("malformed upstream response"))
            self.abort()
            return
        if self.head_limit:
            self._bound_head(len(data))

    def _bound_head(self, received: int) -> None:
        head = self._head
        if head is None or head.done():
            self._head_pending = 0
            return
        self._head_pending += received
        if self._head_pending > self.head_limit:
            self._head_too_large()
            self.abort()

    def _head_too_large(self) -> None:
        self._fail(UpstreamUnavailable(f"response head larger than {self.head_limit} bytes"))

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name.decode("latin-1").lower(), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        if self.head_limit:
            headers = self._headers
            if sum(map(len, chain.from_iterable(headers))) + 4 * len(headers) > self.head_limit:
                self._head_too_large()
                raise HeadTooLarge  # stops the parser; data_received then aborts the connection
        status = self._parser.get_status_code()
        if 100 <= status < 200:
            self._headers = []
            return
        if not self._parser.should_keep_alive():
            self.reusable = False
        head = self._head
        if head is not None and not head.done():
            head.set_result((status, self._headers))
        if self._head_only:
            self.reusable = False
            self.message_done = True
            self._wake()

    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)
        self._buffered += len(body)
        if self._buffered > BODY_BUFFER and not self._paused and self.transport is not None:
            self._paused = True  # resumed as the reader drains: an upstream cannot fill our memory
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self._parser.get_status_code() < 200:
            return
        self.message_done = True
        self._wake()

    # -- helpers
    def _wake(self) -> None:
        w = self._waiter
        if w is not None and not w.done():
            w.set_result(None)

    def _fail(self, error: UpstreamError) -> None:
        self._error = error
        head = self._head
        if head is not None and not head.done():
            head.set_exception(error)
        self._wake()

    def abort(self) -> None:
        self.reusable = False
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def finish(self) -> None:
        """Return to the pool when the exchange completed cleanly, else close."""
        if self.message_done and self.reusable and not self.closed:
            self.pool.put_idle(self)
        else:
            self.abort()
        self.pool.release_slot()

    # -- one exchange
    async def send(self, head: bytes, body: bytes | AsyncIterator[bytes] | None, head_only: bool,
                   timeout: float, chunked: bool) -> tuple[int, list[tuple[str, str]]]:
        loop = asyncio.get_running_loop()
        self._head = loop.create_future()
        self._headers = []
        self._chunks.clear()
        self._buffered = 0
        self.message_done = False
        self._got_bytes = False
        self._error = None
        self._head_only = head_only
        assert self.transport is not None
        if body is None or isinstance(body, bytes):
            self.transport.write(head + body if body else head)
        else:
            self.transport.write(head)
            async for piece in body:
                if self.closed:
                    break
                self.transport.write(chunk(piece) if chunked else piece)
            if chunked:
                self.transport.write(LAST_CHUNK)
        timer = loop.call_later(timeout, self._head_timeout)
        try:
            return await self._head
        finally:
            timer.cancel()

    def _head_timeout(self) -> None:
        head = self._head
        if head is not None and not head.done():
            head.set_exception(UpstreamTimeout("upstream response head timed out"))
            self.abort()

    async def body_chunks(self) -> AsyncIterator[bytes]:
        read_timeout = self.pool.settings.read_timeout
        while True:
            if self._chunks:
                data = b"".join(self._chunks)
                self._chunks.clear()
                self._buffered = 0
                if self._paused and self.transport is not None:
                    self._paused = False
                    self.transport.resume_reading()
                yield data
                continue
            if self.message_done:
                return
            if self._error is not None:
                raise self._error
            loop = asyncio.get_running_loop()
            timeout = read_timeout if self.deadline is None else min(read_timeout, self.deadline - loop.time())
            if timeout <= 0:
                self.abort()
                raise UpstreamTimeout("upstream exchange exceeded its total timeout")
            waiter = self._waiter = loop.create_future()
            timer = loop.call_later(timeout, self._body_timeout, waiter)
            try:
                await waiter
            finally:
                timer.cancel()
                self._waiter = None

    def _body_timeout(self, waiter: asyncio.Future[None]) -> None:
        if not waiter.done():
            waiter.set_exception(UpstreamTimeout("upstream body timed out"))
            self.abort()

    def take_complete_body(self) -> bytes | None:
        """The whole body if it has already arrived (the common small-response case), else None."""
        if not self.message_done or self._error is not None:
            return None
        data = b"".join(self._chunks)
        self._chunks.clear()
        self._buffered = 0
        return data

    @property
    def sent_nothing_back(self) -> bool:
        return not self._got_bytes


class UpstreamPool:
    def __init__(self, settings: PoolSettings) -> None:
        self.settings = settings
        self._idle: deque[UpstreamConnection] = deque()
        self._active = 0
        self._slots = asyncio.Semaphore(settings.max_connections)
        self.failures = 0
        self.open_until = 0.0
        self._trial = False

    # -- pool bookkeeping
    def put_idle(self, conn: UpstreamConnection) -> None:
        if len(self._idle) < self.settings.max_idle:
            conn.idle_since = asyncio.get_running_loop().time()
            self._idle.append(conn)
        else:
            conn.abort()

    def forget(self, conn: UpstreamConnection) -> None:
        try:
            self._idle.remove(conn)
        except ValueError:
            pass

    def release_slot(self) -> None:
        self._slots.release()

    def close(self) -> None:
        while self._idle:
            self._idle.pop().abort()

    # -- circuit breaker (passive health)
    def _check_breaker(self, now: float) -> None:
        if self.failures >= self.settings.breaker_failures:
            if now < self.open_until or self._trial:
                raise UpstreamUnavailable("circuit open")
            self._trial = True

    def _record(self, ok: bool, now: float) -> None:
        self._trial = False
        if ok:
            self.failures = 0
        else:
            self.failures += 1
            if self.failures >= self.settings.breaker_failures:
                self.open_until = now + self.settings.breaker_cooldown

    @property
    def healthy(self) -> bool:
        return self.failures < self.settings.breaker_failures

    def connect_timeout(self, deadline: float | None) -> float:
        """The connect timeout, cut to what is left before ``deadline`` (loop time)."""
        timeout = self.settings.connect_timeout
        if deadline is None:
            return timeout
        return max(0.0, min(timeout, deadline - asyncio.get_running_loop().time()))

    async def _connect(self, deadline: float | None = None) -> UpstreamConnection:
        s = self.settings
        loop = asyncio.get_running_loop()
        try:
            _, proto = await asyncio.wait_for(
                loop.create_connection(lambda: UpstreamConnection(self), s.host, s.port, ssl=s.ssl,
                                       server_hostname=s.server_hostname if s.ssl else None),
                self.connect_timeout(deadline),
            )
        except TimeoutError:
            raise UpstreamTimeout("connect timed out") from None
        except (OSError, ssl.SSLError) as exc:
            raise UpstreamUnavailable(f"connect failed: {type(exc).__name__}") from None
        return proto

    def _take_idle(self, now: float) -> UpstreamConnection | None:
        while self._idle:
            conn = self._idle.pop()
            if conn.closed or now - conn.idle_since > self.settings.idle_timeout:
                conn.abort()
                continue
            return conn
        return None

    async def request(self, method: str, head: bytes, body: bytes | AsyncIterator[bytes] | None,
                      chunked: bool = False, deadline: float | None = None) -> UpstreamResponse:
        """Send one request; the caller must call ``release()`` on the response when done with it.

        ``deadline`` (loop time) bounds the whole exchange: the wait for a free connection slot, the
        connect, the response head and every later wait for body bytes end at the deadline at the latest.
        """
        loop = asyncio.get_running_loop()
        now = loop.time()
        read_timeout = self.settings.read_timeout if deadline is None else max(0.0, min(
            self.settings.read_timeout, deadline - now))
        self._check_breaker(now)
        replayable = method in IDEMPOTENT and not (body is not None and not isinstance(body, bytes))
        attempts = 1 + (self.settings.retries if replayable else 0)
        if deadline is not None and self._slots.locked():
            try:
                await asyncio.wait_for(self._slots.acquire(), max(0.0, deadline - now))
            except TimeoutError:
                raise UpstreamTimeout("no connection free before the deadline") from None
        else:
            await self._slots.acquire()
        try:
            for attempt in range(attempts):
                conn = self._take_idle(now)
                reused = conn is not None
                try:
                    if conn is None:
                        conn = await self._connect(deadline)
                    conn.deadline = deadline
                    status, headers = await conn.send(head, body, method == "HEAD", read_timeout, chunked)
                except UpstreamUnavailable:
                    stale = conn is not None and reused and conn.sent_nothing_back
                    if conn is not None:
                        conn.abort()
                    fresh_connect_failed = conn is None
                    if attempt + 1 < attempts and (stale or fresh_connect_failed):
                        continue
                    if not stale:
                        self._record(False, loop.time())
                    raise
                except UpstreamTimeout:
                    if conn is not None:
                        conn.abort()
                    self._record(False, loop.time())
                    raise
                except BaseException:
                    if conn is not None:  # e.g. the client's body failed mid-stream: never reuse
                        conn.abort()
                    raise
                self._record(True, loop.time())
                length = None
                for k, v in headers:
                    if k == "content-length":
                        length = int(v) if v.isdigit() else None
                return UpstreamResponse(conn, status, headers, length)
            raise UpstreamUnavailable("no attempt left")
        except BaseException:
            self._slots.release()
            raise
