"""The outbound HTTP client of one partner: the gateway's own upstream pool over the pinned connector.

``PartnerClient.send`` builds the URL from its parts (the host can never come from the caller),
enforces the total time limit and the response size limit while reading, refuses redirects that
leave the origin, and maps transport exceptions once, here, to the egress error tree.

Connections come from ``proxy.upstream.UpstreamPool`` (asyncio protocols + httptools; see
docs/decisions/0004-egress-client.md), one pool per origin, each new connection opened by
``PinnedBackend.connect`` (allow-list, checked and pinned address, verified TLS, SPKI pins). The pool's
own retry and circuit breaker are off: retries are decided here, per method.

A pooled keep-alive connection can die or go silent under a request (the partner closed it, a middlebox
dropped it). Each read waits at most ``read_timeout``; an idempotent request (GET/HEAD/OPTIONS, or one the
caller marks safe, like a client-credentials token request) whose connection fails that way is sent once
more, within the same total budget; the failed connection is aborted, so the second try never uses it.
Other requests are never sent twice.
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from bastion.egress.connector import PinnedBackend
from bastion.egress.errors import EgressError, PartnerTimeout, PartnerUnreachable, ResponseRejected, UnsafeRequest
from bastion.errors import UpstreamError, UpstreamTimeout, UpstreamUnavailable
from bastion.proxy.upstream import PoolSettings, UpstreamConnection, UpstreamPool

log = logging.getLogger("bastion.egress")

MAX_REDIRECTS = 3
RETRY_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
KEEPALIVE = 4.0
"""Seconds an idle partner connection is reused: below the 5 s keep-alive of common servers (uvicorn,
Node.js), so a request is never written into a connection the partner is closing. Over TLS that race
can leave the request unanswered until the total timeout instead of failing at once."""
MAX_HEAD_BYTES = 16 * 1024
"""Bytes of a partner's response head (status line, headers, interim 1xx answers), as h11 allowed."""
BODY_BUFFER = 256 * 1024
"""Body bytes held for a call before reading from the partner pauses (the gateway's pool counts chunks)."""
NO_BREAKER = 1 << 62
"""``breaker_failures`` for partner pools: partner calls have no circuit breaker."""

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""RFC 9110 token: a method or header name."""
_CTL = re.compile(r"[\r\n\0]")
_VISIBLE = re.compile(r"[\x21-\x7e]+")
"""A URL whose target may go on the request line: visible ASCII, no spaces or control characters."""


class _StaleConnection(Exception):
    def __init__(self, error: PartnerTimeout | PartnerUnreachable) -> None:
        self.error = error


@dataclass(slots=True)
class PartnerResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    redirects: int = 0

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)


@dataclass(slots=True)
class Origin:
    host: str
    port: int
    authority: str = field(init=False)

    def __post_init__(self) -> None:
        self.authority = self.host if self.port == 443 else f"{self.host}:{self.port}"

    @classmethod
    def of(cls, url: str) -> Origin:
        return _origin(urlsplit(url).netloc)


@lru_cache(maxsize=256)
def _origin(netloc: str) -> Origin:
    """The origin of an authority (few per partner: cached; an ``Origin`` is never changed)."""
    parts = urlsplit(f"//{netloc}")
    return Origin((parts.hostname or "").lower(), parts.port or 443)


class _HeadTooLarge(Exception):
    pass


class PartnerConnection(UpstreamConnection):
    """An upstream connection for a third party. Its response head may not exceed ``MAX_HEAD_BYTES`` and
    at most about ``BODY_BUFFER`` of its body waits unread (the call's ``max_bytes`` bounds the rest). A body
    that runs to the end of the connection (neither Content-Length nor Transfer-Encoding: RFC 9112 §6.3,
    last rule), as older servers send, is accepted; a connection reset, or one we aborted, still fails the
    call, and a truncated JSON answer then fails validation. (h11, the previous client's parser, behaved
    the same on each count.)"""

    def __init__(self, pool: UpstreamPool) -> None:
        super().__init__(pool)
        self.header_bytes = 0
        """Header lines of the message being parsed (a head that arrives in one read)."""
        self.pending_bytes = 0
        """Bytes read while the head was incomplete (a head that arrives in pieces; httptools buffers
        a header line until it ends, so this bounds that buffer to the limit plus one read)."""

    def on_message_begin(self) -> None:
        self.header_bytes = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self.header_bytes += len(name) + len(value) + 4
        if self.header_bytes > MAX_HEAD_BYTES:
            self._head_too_large()
            raise _HeadTooLarge  # stops the parser; data_received then aborts the connection
        super().on_header(name, value)

    def on_body(self, body: bytes) -> None:
        super().on_body(body)
        if not self._paused and self.transport is not None and sum(map(len, self._chunks)) > BODY_BUFFER:
            self._paused = True  # resumed as the call reads on: what is held stays near max_bytes
            self.transport.pause_reading()

    def data_received(self, data: bytes) -> None:
        head = self._head
        waiting = head is not None and not head.done()
        super().data_received(data)
        if waiting and head is not None and not head.done():
            self.pending_bytes += len(data)
            if self.pending_bytes > MAX_HEAD_BYTES:
                self._head_too_large()
                self.abort()
        else:
            self.pending_bytes = 0

    def _head_too_large(self) -> None:
        self._fail(UpstreamUnavailable(f"response head larger than {MAX_HEAD_BYTES} bytes"))

    def connection_lost(self, exc: Exception | None) -> None:
        head = self._head
        if (exc is None and not self.closed and not self.message_done and head is not None and head.done()
                and not head.cancelled() and head.exception() is None
                and not any(k in ("content-length", "transfer-encoding") for k, _ in self._headers)):
            self.message_done = True
            self.reusable = False
            self._wake()
        super().connection_lost(exc)


class OriginPool(UpstreamPool):
    """The keep-alive pool of one origin. Every new connection is opened by the pinned connector; once
    retired (TLS context replaced, client closed) it keeps no connection: each closes when its call ends."""

    def __init__(self, settings: PoolSettings, backend: PinnedBackend) -> None:
        super().__init__(settings)
        self.backend = backend
        self.retired = False

    async def _connect(self) -> UpstreamConnection:
        s = self.settings
        assert s.ssl is not None  # partner pools are always TLS
        return await self.backend.connect(s.host, s.port, s.ssl, lambda: PartnerConnection(self), s.connect_timeout)

    def put_idle(self, conn: UpstreamConnection) -> None:
        if self.retired:
            conn.abort()
        else:
            super().put_idle(conn)

    def retire(self) -> None:
        self.retired = True
        self.close()

    @property
    def idle(self) -> int:
        """Connections waiting for reuse."""
        return len(self._idle)


class PartnerClient:
    def __init__(self, partner: str, backend: PinnedBackend, ssl_context: ssl.SSLContext,
                 connect_timeout: float, total_timeout: float, max_connections: int = 100,
                 read_timeout: float | None = None) -> None:
        self.partner = partner
        self.backend = backend
        self.ssl_context = ssl_context
        self.connect_timeout = connect_timeout
        self.total_timeout = total_timeout
        self.read_timeout = min(read_timeout, total_timeout) if read_timeout else total_timeout
        self.retries = 0
        """Idempotent requests sent again after their connection failed under them."""
        self.max_connections = max_connections
        """Per origin."""
        self.pools: dict[tuple[str, int], OriginPool] = {}
        """The current pool of each origin ``(host, port)`` called (the API and the token endpoint may differ)."""

    def pool(self, origin: Origin) -> OriginPool:
        key = (origin.host, origin.port)
        found = self.pools.get(key)
        if found is None:
            settings = PoolSettings(origin.host, origin.port, self.ssl_context, origin.host,
                                    connect_timeout=self.connect_timeout, read_timeout=self.read_timeout,
                                    max_connections=self.max_connections, max_idle=self.max_connections,
                                    idle_timeout=KEEPALIVE, retries=0, breaker_failures=NO_BREAKER)
            found = self.pools[key] = OriginPool(settings, self.backend)
        return found

    def replace_tls(self, ssl_context: ssl.SSLContext) -> None:
        """Use a new TLS context (rotated client certificate) for new connections. Calls in flight finish
        on their connections, which then close; idle connections of the old context close at once."""
        self.ssl_context = ssl_context
        self._retire_pools()

    async def aclose(self) -> None:
        """Close idle connections now and the others when their call ends; later calls open new ones."""
        self._retire_pools()
        await asyncio.sleep(0)  # the loop closes aborted sockets on its next turn: let it, before returning

    def _retire_pools(self) -> None:
        old, self.pools = self.pools, {}
        for pool in old.values():
            pool.retire()

    async def send(self, method: str, url: str, headers: list[tuple[str, str]], body: bytes,
                   max_bytes: int, *, retry_safe: bool | None = None) -> PartnerResponse:
        """Send one request; follow same-origin redirects for GET/HEAD only. ``retry_safe`` overrides
        whether the method may be sent twice when its connection fails under it."""
        origin = Origin.of(url)
        redirects = 0
        safe = method in RETRY_SAFE_METHODS if retry_safe is None else retry_safe
        try:
            async with asyncio.timeout(self.total_timeout):
                while True:
                    resp = await self._attempt(method, origin, url, headers, body, max_bytes, safe)
                    location = resp.header("location")
                    if resp.status not in (301, 302, 303, 307, 308) or location is None:
                        resp.redirects = redirects
                        return resp
                    url = urljoin(url, location)
                    if urlsplit(url).scheme != "https" or Origin.of(url) != origin:
                        raise ResponseRejected(f"partner {self.partner}: redirect to another origin refused")
                    if method not in ("GET", "HEAD") or redirects >= MAX_REDIRECTS:
                        raise ResponseRejected(f"partner {self.partner}: redirect not followed ({method})")
                    redirects += 1
        except TimeoutError:
            raise PartnerTimeout(f"partner {self.partner}: no complete answer in {self.total_timeout}s") from None

    async def _attempt(self, method: str, origin: Origin, url: str, headers: list[tuple[str, str]], body: bytes,
                       max_bytes: int, safe: bool) -> PartnerResponse:
        head = self.request_head(method, origin, url, headers, body)
        try:
            return await self._once(method, origin, head, body, max_bytes)
        except _StaleConnection as first:
            if not safe:
                raise first.error from None
            self.retries += 1
            log.warning("partner %s: %s; sending the %s once more on another connection",
                        self.partner, first.error, method)
        try:
            return await self._once(method, origin, head, body, max_bytes)
        except _StaleConnection as second:
            raise second.error from None

    def request_head(self, method: str, origin: Origin, url: str, headers: list[tuple[str, str]],
                     body: bytes) -> bytes:
        """The HTTP/1.1 request head. Refuses (``UnsafeRequest``) what could split it: a header name that
        is not a token, CR/LF/NUL in a value, a URL with spaces or control characters."""
        if _TOKEN.fullmatch(method) is None or _VISIBLE.fullmatch(url) is None:  # urlsplit would drop CR/LF/TAB
            raise UnsafeRequest(f"partner {self.partner}: request line would be malformed")
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {target} HTTP/1.1\r\nhost: {origin.authority}\r\n"]
        for name, value in headers:
            if _TOKEN.fullmatch(name) is None:
                raise UnsafeRequest(f"partner {self.partner}: a request header name is not a token")
            if _CTL.search(value) is not None:
                raise UnsafeRequest(f"partner {self.partner}: request header {name} has CR, LF or NUL in its value")
            lines.append(f"{name}: {value}\r\n")
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"content-length: {len(body)}\r\n")
        lines.append("\r\n")
        try:
            return "".join(lines).encode("latin-1")
        except UnicodeEncodeError:
            raise UnsafeRequest(f"partner {self.partner}: a request header is not Latin-1") from None

    async def _once(self, method: str, origin: Origin, head: bytes, body: bytes, max_bytes: int) -> PartnerResponse:
        try:
            resp = await self.pool(origin).request(method, head, body or None)
        except (EgressError, PartnerTimeout):
            raise  # refused destination, pin mismatch, TLS or connect failure: never sent twice
        except UpstreamError as exc:
            raise self._stale(exc) from None
        try:
            data = resp.take_complete_body()
            if data is None:
                data = await resp.read_all(max_bytes)
            if data is None or len(data) > max_bytes:
                raise ResponseRejected(f"partner {self.partner}: response larger than {max_bytes} bytes")
        except EgressError:
            raise
        except UpstreamError as exc:
            raise self._stale(exc) from None
        finally:
            resp.release()
        return PartnerResponse(resp.status, resp.headers, data)

    def _stale(self, exc: UpstreamError) -> _StaleConnection:
        """The connection went silent (no byte for ``read_timeout``) or died (closed, malformed answer)."""
        if isinstance(exc, UpstreamTimeout):
            return _StaleConnection(PartnerTimeout(f"partner {self.partner}: no data for {self.read_timeout}s"))
        return _StaleConnection(PartnerUnreachable(f"partner {self.partner}: {exc}"))
