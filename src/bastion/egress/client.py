"""The outbound HTTP client of one partner: an httpcore pool over the pinned connector, with limits.

``PartnerClient.send`` builds the URL from its parts (the host can never come from the caller),
enforces the total time limit and the response size limit while reading, refuses redirects that
leave the origin, and maps transport exceptions once, here, to the egress error tree.

A pooled keep-alive connection can die or go silent under a request (the partner closed it, a middlebox
dropped it). Each read waits at most ``read_timeout``; an idempotent request (GET/HEAD/OPTIONS, or one the
caller marks safe, like a client-credentials token request) whose connection fails that way is sent once
more, within the same total budget; httpcore discards the failed connection, so the second try never uses
it. Other requests are never sent twice.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import anyio
import httpcore

from bastion.egress.connector import PinnedBackend
from bastion.egress.errors import PartnerTimeout, PartnerUnreachable, ResponseRejected

log = logging.getLogger("bastion.egress")

MAX_REDIRECTS = 3
RETRY_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_STALE = (httpcore.ReadTimeout, httpcore.WriteTimeout, httpcore.ReadError, httpcore.WriteError,
          httpcore.RemoteProtocolError)
"""The connection died or went silent after it was chosen: worth one more try for idempotent requests."""
_TIMEOUTS = (httpcore.ConnectTimeout, httpcore.PoolTimeout)
_FAILURES = (httpcore.ConnectError, httpcore.LocalProtocolError, httpcore.UnsupportedProtocol,
             httpcore.ProxyError, ssl.SSLError, OSError)


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
        parts = urlsplit(url)
        return cls((parts.hostname or "").lower(), parts.port or 443)


KEEPALIVE = 4.0
"""Seconds an idle partner connection is reused: below the 5 s keep-alive of common servers (uvicorn,
Node.js), so a request is never written into a connection the partner is closing. Over TLS that race
can leave the request unanswered until the total timeout instead of failing at once."""


class PartnerClient:
    def __init__(self, partner: str, backend: PinnedBackend, ssl_context: ssl.SSLContext,
                 connect_timeout: float, total_timeout: float, max_connections: int = 100,
                 read_timeout: float | None = None) -> None:
        self.partner = partner
        self.backend = backend
        self.connect_timeout = connect_timeout
        self.total_timeout = total_timeout
        self.read_timeout = min(read_timeout, total_timeout) if read_timeout else total_timeout
        self.retries = 0
        """Idempotent requests sent again after their connection failed under them."""
        self._max_connections = max_connections
        self.pool = self._new_pool(ssl_context)
        self._retired: list[httpcore.AsyncConnectionPool] = []
        self._closing: set[asyncio.Task[None]] = set()

    def _new_pool(self, ctx: ssl.SSLContext) -> httpcore.AsyncConnectionPool:
        return httpcore.AsyncConnectionPool(ssl_context=ctx, network_backend=self.backend, http1=True, http2=False,
                                            max_connections=self._max_connections, keepalive_expiry=KEEPALIVE)

    def replace_tls(self, ssl_context: ssl.SSLContext) -> None:
        """Use a new TLS context (rotated client certificate) for new requests. The old pool is closed
        once every request that could still be using it has run out of time (``total_timeout``)."""
        old = self.pool
        self._retired.append(old)
        self.pool = self._new_pool(ssl_context)
        asyncio.get_running_loop().call_later(self.total_timeout + 1.0, self._close_later, old)

    def _close_later(self, pool: httpcore.AsyncConnectionPool) -> None:
        if pool in self._retired:
            self._retired.remove(pool)
            task = asyncio.get_running_loop().create_task(pool.aclose())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def aclose(self) -> None:
        for pool in (*self._retired, self.pool):
            await pool.aclose()
        self._retired.clear()

    async def send(self, method: str, url: str, headers: list[tuple[str, str]], body: bytes,
                   max_bytes: int, *, retry_safe: bool | None = None) -> PartnerResponse:
        """Send one request; follow same-origin redirects for GET/HEAD only. ``retry_safe`` overrides
        whether the method may be sent twice when its connection fails under it."""
        origin = Origin.of(url)
        redirects = 0
        safe = method in RETRY_SAFE_METHODS if retry_safe is None else retry_safe
        try:
            with anyio.fail_after(self.total_timeout):
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
        try:
            return await self._once(method, origin, url, headers, body, max_bytes)
        except _StaleConnection as first:
            if not safe:
                raise first.error from None
            self.retries += 1
            log.warning("partner %s: %s; sending the %s once more on another connection",
                        self.partner, first.error, method)
        try:
            return await self._once(method, origin, url, headers, body, max_bytes)
        except _StaleConnection as second:
            raise second.error from None

    async def _once(self, method: str, origin: Origin, url: str, headers: list[tuple[str, str]], body: bytes,
                    max_bytes: int) -> PartnerResponse:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        hdrs = [(b"host", origin.authority.encode()), *((k.encode("latin-1"), v.encode("latin-1")) for k, v in headers)]
        if body or method in ("POST", "PUT", "PATCH"):
            hdrs.append((b"content-length", str(len(body)).encode()))
        request_url = httpcore.URL(scheme=b"https", host=origin.host.encode(), port=origin.port,
                                   target=target.encode())
        ext = {"timeout": {"connect": self.connect_timeout, "pool": self.connect_timeout,
                           "read": self.read_timeout, "write": self.read_timeout}}
        try:
            async with self.pool.stream(method.encode(), request_url, headers=hdrs, content=body,
                                        extensions=ext) as resp:
                chunks: list[bytes] = []
                size = 0
                async for chunk in resp.aiter_stream():
                    size += len(chunk)
                    if size > max_bytes:
                        raise ResponseRejected(f"partner {self.partner}: response larger than {max_bytes} bytes")
                    chunks.append(chunk)
                out = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in resp.headers]
                return PartnerResponse(resp.status, out, b"".join(chunks))
        except (httpcore.ReadTimeout, httpcore.WriteTimeout):
            silent = PartnerTimeout(f"partner {self.partner}: no data for {self.read_timeout}s")
            raise _StaleConnection(silent) from None
        except _STALE as exc:
            broken = PartnerUnreachable(f"partner {self.partner}: {type(exc).__name__}: {exc}")
            raise _StaleConnection(broken) from None
        except _TIMEOUTS:
            raise PartnerTimeout(f"partner {self.partner}: timed out") from None
        except _FAILURES as exc:
            raise PartnerUnreachable(f"partner {self.partner}: {type(exc).__name__}: {exc}") from None
