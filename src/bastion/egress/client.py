"""The outbound HTTP client of one partner: the gateway's own upstream pool over the pinned connector.

``PartnerClient.send`` builds the URL from its parts (the host can never come from the caller),
enforces the total time limit and the response size limit while reading, refuses redirects that
leave the origin, and maps transport exceptions once, here, to the egress error tree.

Connections come from ``partner_pool.OriginPool``: the gateway's own upstream pool (asyncio protocols +
httptools; see docs/decisions/0004-egress-client.md), one per origin, each new connection opened by
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
from operator import itemgetter
from time import monotonic
from typing import NoReturn
from urllib.parse import urljoin, urlsplit

from bastion.egress.connector import PinnedBackend
from bastion.egress.errors import EgressError, PartnerTimeout, PartnerUnreachable, ResponseRejected, UnsafeRequest
from bastion.egress.partner_pool import KEEPALIVE, NO_BREAKER, OriginPool
from bastion.errors import UpstreamError, UpstreamTimeout
from bastion.proxy.upstream import PoolSettings

log = logging.getLogger("bastion.egress")

MAX_REDIRECTS = 3
RETRY_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""RFC 9110 token: a method or header name."""
_CTL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_VISIBLE = re.compile(r"[\x21-\x7e]+")
"""A URL whose target may go on the request line: visible ASCII, no spaces or control characters."""
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_NAME, _VALUE = itemgetter(0), itemgetter(1)
MAX_KNOWN_NAMES = 1024
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})


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
    key: tuple[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.authority = self.host if self.port == 443 else f"{self.host}:{self.port}"
        self.key = (self.host, self.port)

    @classmethod
    def of(cls, url: str) -> Origin:
        return _origin(urlsplit(url).netloc)


def _target(url: str) -> str:
    """The request-target of an absolute URL: its path (``/`` when empty) and query."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@lru_cache(maxsize=256)
def _origin(netloc: str) -> Origin:
    """The origin of an authority (few per partner: cached; an ``Origin`` is never changed)."""
    parts = urlsplit(f"//{netloc}")
    return Origin((parts.hostname or "").lower(), parts.port or 443)


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
        self._names: set[str] = set()
        """Header names already checked to be tokens."""
        self._authorities: set[str] = set()
        """Origin authorities (``host[:port]``) already checked to be visible ASCII."""
        self.retries = 0
        """Idempotent requests sent again after their connection failed under them."""
        self.max_connections = max_connections
        """Per origin."""
        self.pools: dict[tuple[str, int], OriginPool] = {}
        """The current pool of each origin ``(host, port)`` called (the API and the token endpoint may differ)."""

    def pool(self, origin: Origin) -> OriginPool:
        key = origin.key
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
        """Send one request to ``url``; see ``call``."""
        if _VISIBLE.fullmatch(url) is None:  # before urlsplit, which would drop CR, LF and TAB
            raise UnsafeRequest(f"partner {self.partner}: request line would be malformed")
        return await self.call(method, Origin.of(url), _target(url), headers, body, max_bytes, retry_safe=retry_safe)

    async def call(self, method: str, origin: Origin, target: str, headers: list[tuple[str, str]], body: bytes,
                   max_bytes: int, prepared: str = "", *, retry_safe: bool | None = None) -> PartnerResponse:
        """Send one request for ``target`` (path and query) to ``origin``; follow same-origin redirects for
        GET/HEAD only. ``prepared``: more header lines, made by ``credential_lines``. ``retry_safe`` overrides
        whether the method may be sent twice when its connection fails under it."""
        redirects = 0
        safe = method in RETRY_SAFE_METHODS if retry_safe is None else retry_safe
        # one deadline for the whole call, handed to the pool (slot, connect, head, every body read):
        # no asyncio.timeout here, whose scheduling cost ~26k instructions per call (bench.instructions)
        # (``time.monotonic``: the loop's clock, or a few ms ahead of uvloop's coarse one, so never an earlier
        # deadline; ``get_running_loop`` makes a getpid system call on every call in CPython 3.11)
        deadline = monotonic() + self.total_timeout
        while True:
            head = self.request_head(method, origin, target, headers, body, prepared)
            sent_again = False
            while True:  # (the pool exchange inline: one coroutine level less on every call)
                try:
                    pool = self.pools.get(origin.key) or self.pool(origin)
                    answer = await pool.request(method, head, body or None, deadline=deadline)
                    try:
                        data = answer.take_complete_body()
                        if data is None:
                            data = await answer.read_all(max_bytes)
                    finally:
                        answer.release()
                    break
                except (EgressError, PartnerTimeout):
                    raise  # refused destination, pin mismatch, TLS or connect failure: never sent twice
                except UpstreamError as exc:  # the connection went silent or died under the request
                    error = self._stale(exc, deadline)
                    if sent_again or not safe or self._expired(deadline):
                        raise error from None
                sent_again = True
                self.retries += 1
                log.warning("partner %s: %s; sending the %s once more on another connection",
                            self.partner, error, method)
            if data is None or len(data) > max_bytes:
                raise ResponseRejected(f"partner {self.partner}: response larger than {max_bytes} bytes")
            resp = PartnerResponse(answer.status, answer.headers, data)
            if resp.status not in REDIRECT_STATUS:
                resp.redirects = redirects
                return resp
            location = resp.header("location")
            if location is None:
                resp.redirects = redirects
                return resp
            url = urljoin(f"https://{origin.authority}{target}", location)
            if urlsplit(url).scheme != "https" or Origin.of(url) != origin:
                raise ResponseRejected(f"partner {self.partner}: redirect to another origin refused")
            if method not in ("GET", "HEAD") or redirects >= MAX_REDIRECTS:
                raise ResponseRejected(f"partner {self.partner}: redirect not followed ({method})")
            if self._expired(deadline):
                raise PartnerTimeout(f"partner {self.partner}: no complete answer in {self.total_timeout}s")
            target = _target(url)
            redirects += 1

    @staticmethod
    def _expired(deadline: float) -> bool:
        return asyncio.get_running_loop().time() >= deadline - 0.002  # (timers may fire a clock tick early)

    def request_head(self, method: str, origin: Origin, target: str, headers: list[tuple[str, str]],
                     body: bytes, prepared: str = "") -> bytes:
        """The HTTP/1.1 request head for ``target`` (path and query). Refuses (``UnsafeRequest``) what could
        split it: a method or header name that is not a token, a control character other than HTAB in a value
        (CR, LF, NUL …), a target with spaces or control characters, an authority that is not visible ASCII.
        Every part is checked before it is joined, so the head holds exactly one CRLF per line: names and
        authorities once each (``_names``, ``_authorities``), the values together with one
        ``str.isprintable`` (C speed; the regex only runs when that says no, e.g. for an HTAB). ``prepared``
        lines (``credential_lines``) were checked when they were made and go in as they are."""
        if body or method in ("POST", "PUT", "PATCH"):
            headers = [*headers, ("content-length", str(len(body)))]
        if not self._names.issuperset(map(_NAME, headers)):  # names are few (allow-lists, credentials): checked once
            self._check_names(method, target, headers)
        joined = "".join(map(_VALUE, headers))
        if ((not joined.isprintable() and _CTL.search(joined) is not None)
                or not (target.isascii() and target.isprintable() and target and " " not in target)  # _VISIBLE
                or (method not in KNOWN_METHODS and _TOKEN.fullmatch(method) is None)
                or (origin.authority not in self._authorities and not self._check_authority(origin))):
            self._refuse(method, target, headers)
        try:
            lines = ""
            for k, v in headers:  # (few lines: appending in place beats a comprehension's frame and a join)
                lines += f"{k}: {v}\r\n"
            return f"{method} {target} HTTP/1.1\r\nhost: {origin.authority}\r\n{lines}{prepared}\r\n".encode("latin-1")
        except UnicodeEncodeError:
            raise UnsafeRequest(f"partner {self.partner}: a request header is not Latin-1") from None

    def credential_lines(self, headers: list[tuple[str, str]]) -> str:
        """``headers`` as request-head lines, checked as ``request_head`` checks headers (a name that is not a
        token, a control character other than HTAB in a value, a value that is not Latin-1: ``UnsafeRequest``).
        For credentials made once and sent on many calls: the caller keeps the lines (``Injected.lines``), so
        a cached token is checked once, not on every call, and a partner's token endpoint still cannot split
        a request with the token it returns."""
        self._check_headers(headers, "credential")
        lines = "".join([f"{k}: {v}\r\n" for k, v in headers])
        try:
            lines.encode("latin-1")
        except UnicodeEncodeError:
            raise UnsafeRequest(f"partner {self.partner}: a credential header is not Latin-1") from None
        return lines

    def _check_authority(self, origin: Origin) -> bool:
        if _VISIBLE.fullmatch(origin.authority) is None:
            return False
        if len(self._authorities) < MAX_KNOWN_NAMES:
            self._authorities.add(origin.authority)
        return True

    def _check_names(self, method: str, target: str, headers: list[tuple[str, str]]) -> None:
        for name, _ in headers:
            if _TOKEN.fullmatch(name) is None:
                self._refuse(method, target, headers)
            if len(self._names) < MAX_KNOWN_NAMES:
                self._names.add(name)

    def _refuse(self, method: str, target: str, headers: list[tuple[str, str]]) -> NoReturn:
        if _TOKEN.fullmatch(method) is None or _VISIBLE.fullmatch(target) is None:
            raise UnsafeRequest(f"partner {self.partner}: request line would be malformed")
        self._check_headers(headers, "request")
        raise UnsafeRequest(f"partner {self.partner}: request host would be malformed")

    def _check_headers(self, headers: list[tuple[str, str]], kind: str) -> None:
        """``UnsafeRequest`` naming the first header that could split the head (never its value)."""
        for name, value in headers:
            if _TOKEN.fullmatch(name) is None:
                raise UnsafeRequest(f"partner {self.partner}: a {kind} header name is not a token")
            if _CTL.search(value) is not None:
                raise UnsafeRequest(f"partner {self.partner}: {kind} header {name} has CR, LF, NUL "
                                    "or another control character in its value")

    def _stale(self, exc: UpstreamError, deadline: float) -> PartnerTimeout | PartnerUnreachable:
        """The connection went silent (no byte for ``read_timeout``) or died (closed, malformed answer);
        or the call's total time ran out (then it is not sent again)."""
        if isinstance(exc, UpstreamTimeout):
            if self._expired(deadline):
                return PartnerTimeout(f"partner {self.partner}: no complete answer in {self.total_timeout}s")
            return PartnerTimeout(f"partner {self.partner}: no data for {self.read_timeout}s")
        return PartnerUnreachable(f"partner {self.partner}: {exc}")
