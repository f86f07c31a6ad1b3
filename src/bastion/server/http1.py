"""One client connection: strict HTTP/1.1 parsing (llhttp via httptools), pipelining in order,
limits, slowloris timeouts and write flow control.

Framing rules beyond llhttp's own strict mode (which already refuses Content-Length with
Transfer-Encoding, several or malformed Content-Length values, obs-fold, bare CR or LF, NUL and
control characters, whitespace before the colon and invalid chunk syntax):
- Transfer-Encoding must be exactly ``chunked``; in HTTP/1.0 it is refused;
- only HTTP/1.0 and HTTP/1.1; only origin-form targets (``/path?query``), ``*`` only for OPTIONS;
- exactly one Host header (HTTP/1.1 and 1.0 alike);
- CONNECT, TRACE and TRACK are refused; so is any ``Upgrade`` (h2c included);
- method-override headers (``X-HTTP-Method-Override``, ``X-HTTP-Method``, ``X-Method-Override``) are refused:
  the gateway routes and authorizes the method on the request line, and an upstream framework that honours
  the header (Rack, Express's method-override, Laravel, ASP.NET) would run another one (a POST allowed by
  the route's ``methods`` and scopes executed as DELETE). A client sends the method itself instead. The same
  for a ``_method`` query parameter (Express's method-override with a query getter, Laravel); a ``_method``
  field inside a body is not looked at here (bodies are streamed): the ``waf`` policy refuses it.
Any framing error is answered with a 400 problem and the connection is closed: after a framing
error the byte stream can no longer be trusted, so nothing after it is read.

Forward-proxy listeners (``listeners[].forward_proxy``) are the one exception: there, and only there,
absolute-form targets and ``CONNECT`` reach the handler (``bastion.egress.forward_proxy``), which
checks them strictly. After a CONNECT head nothing more is parsed: the bytes that follow wait for
the handler, which either answers and closes or ``detach``es the stream into a tunnel. On ordinary
listeners these checks sit on the rejection paths only, so accepted requests cost nothing more.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, cast

import httptools

from bastion.http.problem import (
    BAD_REQUEST,
    HEADERS_TOO_LARGE,
    METHOD_NOT_ALLOWED,
    REQUEST_TIMEOUT,
    URI_TOO_LONG,
    Problem,
)
from bastion.server.body import BodyStream, ClientGone, MalformedBody
from bastion.server.tls import presented_chain
from bastion.server.wire import encode_problem, status_line

log = logging.getLogger("bastion.server")

REFUSED_METHODS = frozenset({"CONNECT", "TRACE", "TRACK"})
METHOD_OVERRIDE = frozenset({"x-http-method-override", "x-http-method", "x-method-override"})
_METHOD_PARAM = re.compile(r"[?&](?:_|%5[fF])method=")
"""Frameworks read the parameter name case-sensitively, after percent-decoding."""
_FRAMING = frozenset({"transfer-encoding", "upgrade", "http2-settings", "expect", *METHOD_OVERRIDE})
"""Header names the head check looks at (one set lookup per header for all of them)."""


@dataclass(slots=True)
class ServerLimits:
    max_request_line: int = 8192
    max_header_bytes: int = 16384
    max_headers: int = 100
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keepalive_timeout: float = 60.0
    max_pipelined: int = 16


@dataclass(slots=True)
class ListenerContext:
    scheme: str
    """``https`` or ``http``."""
    hsts: str | None = None
    """The ``Strict-Transport-Security`` value to add on this listener, if any."""
    forward_proxy: bool = False
    """Accept absolute-form targets and CONNECT (an explicit forward proxy listener)."""


class IncomingRequest:
    __slots__ = ("body", "conn", "expect_continue", "headers", "host", "keep_alive", "method", "target",
                 "version")

    def __init__(self, conn: HTTP1Connection, method: str, target: str, version: str,
                 headers: list[tuple[str, str]], keep_alive: bool, body: BodyStream | None, host: str,
                 expect_continue: bool) -> None:
        self.conn = conn
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.keep_alive = keep_alive
        self.body = body
        self.host = host
        self.expect_continue = expect_continue


Handler = Callable[[IncomingRequest], Awaitable[None]]


class TunnelSink(Protocol):
    """The receiving end of a detached connection (a CONNECT tunnel)."""

    def feed(self, data: bytes) -> None: ...

    def lost(self) -> None: ...


class _TunnelFeed:
    """Stands in for the parser once a CONNECT head was read: HTTP parsing has ended for good on this
    connection. Bytes wait here (reading paused) until a tunnel attaches, then go straight to it."""

    __slots__ = ("_early", "_pause", "_sink")

    def __init__(self, early: bytes, pause: Callable[[], None]) -> None:
        self._early = [early] if early else []
        self._pause = pause
        self._sink: TunnelSink | None = None

    def feed_data(self, data: bytes) -> None:
        if self._sink is not None:
            self._sink.feed(data)
        else:
            self._early.append(data)
            self._pause()

    def attach(self, sink: TunnelSink) -> None:
        self._sink = sink
        for data in self._early:
            sink.feed(data)
        self._early.clear()

    def lost(self) -> None:
        if self._sink is not None:
            self._sink.lost()


class _Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class HTTP1Connection(asyncio.Protocol):
    def __init__(self, handler: Handler, limits: ServerLimits, listener: ListenerContext,
                 tracker: set[HTTP1Connection] | None = None) -> None:
        self.handler = handler
        self.limits = limits
        self.listener = listener
        self.tracker = tracker
        self.transport: asyncio.Transport | None = None
        self.peer_ip = ""
        self.peer_cert: bytes | None = None
        self.peer_chain: tuple[bytes, ...] = ()
        """The certificates the client presented (leaf first), for the ``mtls`` policy's own verification."""
        self.closed = False
        self.draining = False
        self._parser: Any = httptools.HttpRequestParser(self)  # a _TunnelFeed once a CONNECT head is read
        self._queue: deque[IncomingRequest] = deque()
        self._task: asyncio.Task[None] | None = None
        self._current_body: BodyStream | None = None
        self._url = b""
        self._headers: list[tuple[str, str]] = []
        self._head_bytes = 0
        self._in_head = False
        self._timer: asyncio.TimerHandle | None = None
        self._write_paused = False
        self._drain_waiter: asyncio.Future[None] | None = None
        self._read_paused = False
        self._broken = False
        self._completed = 0
        self._field_bytes = 0
        self._pending_error: Problem | None = None
        self._tunnel: _TunnelFeed | None = None
        self._loop = asyncio.get_running_loop()

    # ---------------------------------------------------------------- lifecycle
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        peer = transport.get_extra_info("peername")
        self.peer_ip = peer[0] if isinstance(peer, tuple) else "127.0.0.1"
        ssl_object = transport.get_extra_info("ssl_object")
        if ssl_object is not None:
            self.peer_cert = ssl_object.getpeercert(binary_form=True)
            if self.peer_cert is not None:
                self.peer_chain = presented_chain(ssl_object)
        if self.tracker is not None:
            self.tracker.add(self)
        self._arm_timer(self.limits.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._cancel_timer()
        if self.tracker is not None:
            self.tracker.discard(self)
        if self._tunnel is not None:
            self._tunnel.lost()
        if self._current_body is not None:
            self._current_body.fail(ClientGone("client closed the connection"))
        for req in self._queue:
            if req.body is not None:
                req.body.fail(ClientGone("client closed the connection"))
        self._queue.clear()
        w = self._drain_waiter
        if w is not None and not w.done():
            w.set_result(None)

    @property
    def completed_messages(self) -> int:
        """Requests this connection has read to their end."""
        return self._completed

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        w = self._drain_waiter
        if w is not None and not w.done():
            w.set_result(None)

    async def drain(self) -> None:
        if self._write_paused and not self.closed:
            self._drain_waiter = self._loop.create_future()
            await self._drain_waiter
            self._drain_waiter = None

    # ---------------------------------------------------------------- timers
    def _arm_timer(self, seconds: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_later(seconds, self._on_timeout)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _on_timeout(self) -> None:
        self._timer = None
        if self._task is not None:  # a request is being handled: its own timeouts apply
            return
        if self._in_head:
            self.send_error_and_close(REQUEST_TIMEOUT.problem("request head not received in time"))
        else:
            self.close()

    # ---------------------------------------------------------------- reading
    def data_received(self, data: bytes) -> None:
        if self.closed or (self.draining and self._task is None and not self._queue):
            return
        completed = self._completed
        try:
            self._parser.feed_data(data)
            if self._in_head:
                # a head still incomplete after this read: count what it may have consumed
                self._head_bytes = 0 if self._completed != completed else self._head_bytes + len(data)
                if self._head_bytes > self.limits.max_header_bytes + self.limits.max_request_line + 1024:
                    self._parse_error(HEADERS_TOO_LARGE.problem("request head too large"))
        except _Abort as abort:  # one name per clause: compiled (bastion.native), a name has one type
            self._parse_error(abort.problem)
        except httptools.HttpParserUpgrade as upgrade:
            if self.listener.forward_proxy and self._parser.get_method() == b"CONNECT":
                self._start_tunnel(data[int(upgrade.args[0]):])
            else:
                self._parse_error(BAD_REQUEST.problem("protocol upgrade not allowed"))
        except (httptools.HttpParserError, httptools.HttpParserInvalidMethodError) as exc:
            cause = exc.__context__ or exc.__cause__
            if isinstance(cause, _Abort):
                self._parse_error(cause.problem)
            else:
                self._parse_error(BAD_REQUEST.problem("malformed HTTP request"))

    def _start_tunnel(self, early: bytes) -> None:
        """A CONNECT head was accepted: parse nothing more. The connection closes after its handler."""
        self._broken = True
        self._pause_reading()
        self._tunnel = self._parser = _TunnelFeed(early, self._pause_reading)

    def detach(self, sink: TunnelSink) -> None:
        """Hand the raw client stream to a CONNECT tunnel: the bytes after the CONNECT head, then every
        later read, go to ``sink.feed``; the end of the connection to ``sink.lost``. The caller resumes
        reading (``resume_reading``) when it is ready for more."""
        if self._tunnel is None:
            raise RuntimeError("detach is only possible after a CONNECT head")
        self._tunnel.attach(sink)

    def pause_reading(self) -> None:
        self._pause_reading()

    def resume_reading(self) -> None:
        self._resume_reading()

    def _parse_error(self, problem: Problem) -> None:
        """Stop reading for good. The request being handled (if any) learns of it through its body."""
        self._broken = True
        self._pause_reading()
        body = self._current_body
        if body is not None and not body.complete:
            body.fail(MalformedBody("malformed request body framing"))
            self._current_body = None
        elif self._task is not None:
            self._pending_error = problem
        else:
            self.send_error_and_close(problem)

    def on_message_begin(self) -> None:
        self._in_head = True
        self._url = b""
        self._headers = []
        self._field_bytes = 0
        if self._timer is None or self._task is None:
            self._arm_timer(self.limits.header_timeout)

    def on_url(self, url: bytes) -> None:
        self._url += url
        if len(self._url) > self.limits.max_request_line:
            raise _Abort(URI_TOO_LONG.problem("request target too long"))

    def on_header(self, name: bytes, value: bytes) -> None:
        self._field_bytes += len(name) + len(value) + 4
        if self._field_bytes > self.limits.max_header_bytes:
            raise _Abort(HEADERS_TOO_LARGE.problem("request header fields too large"))
        if len(self._headers) >= self.limits.max_headers:
            raise _Abort(HEADERS_TOO_LARGE.problem("too many header fields"))
        self._headers.append((name.decode("latin-1").lower(), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        parser = self._parser
        method = parser.get_method().decode("ascii", "replace")
        version = parser.get_http_version()
        headers = self._headers
        target = self._url.decode("latin-1")
        if version not in ("1.1", "1.0"):
            raise _Abort(BAD_REQUEST.problem("unsupported HTTP version"))
        if method in REFUSED_METHODS and not (method == "CONNECT" and self.listener.forward_proxy):
            raise _Abort(METHOD_NOT_ALLOWED.problem(f"{method} is not allowed"))
        hosts = [v for k, v in headers if k == "host"]
        if len(hosts) != 1:
            raise _Abort(BAD_REQUEST.problem("exactly one Host header is required"))
        chunked = False
        expect = False
        for k, v in headers:
            if k not in _FRAMING:
                continue
            if k == "transfer-encoding":
                if version == "1.0":
                    raise _Abort(BAD_REQUEST.problem("Transfer-Encoding is not allowed in HTTP/1.0"))
                if v.strip().lower() != "chunked":
                    raise _Abort(BAD_REQUEST.problem("Transfer-Encoding must be exactly 'chunked'"))
                if chunked:
                    raise _Abort(BAD_REQUEST.problem("duplicate Transfer-Encoding"))
                chunked = True
            elif k == "expect":
                if v.strip().lower() != "100-continue":
                    raise _Abort(BAD_REQUEST.problem("unsupported Expect"))
                expect = True
            elif k in METHOD_OVERRIDE:
                raise _Abort(BAD_REQUEST.problem("method-override headers are not accepted: send the method itself"))
            else:
                raise _Abort(BAD_REQUEST.problem("protocol upgrade not allowed"))
        if "method=" in target and _METHOD_PARAM.search(target) is not None:
            raise _Abort(BAD_REQUEST.problem("a _method parameter is not accepted: send the method itself"))
        if not target.startswith("/") and not (target == "*" and method == "OPTIONS") \
                and not self.listener.forward_proxy:  # a forward proxy's handler checks its targets itself
            raise _Abort(BAD_REQUEST.problem("only origin-form request targets are accepted"))
        has_body = chunked or any(k == "content-length" and v.strip() != "0" for k, v in headers)
        body: BodyStream | None = None
        if has_body:
            body = BodyStream(self.limits.body_timeout, self._pause_reading, self._resume_reading)
            self._current_body = body
        else:
            self._current_body = None
        req = IncomingRequest(self, method, target, version, headers, parser.should_keep_alive(), body,
                              hosts[0], expect)
        self._queue.append(req)
        if len(self._queue) >= self.limits.max_pipelined:
            self._pause_reading()
        if self._task is None:
            self._cancel_timer()
            self._start_next()

    def on_body(self, data: bytes) -> None:
        if self._current_body is not None:
            self._current_body.feed(data)

    def on_message_complete(self) -> None:
        self._completed += 1
        if self._current_body is not None:
            self._current_body.finish()
            self._current_body = None

    def _pause_reading(self) -> None:
        if not self._read_paused and self.transport is not None and not self.closed:
            self._read_paused = True
            self.transport.pause_reading()

    def _resume_reading(self) -> None:
        if self._read_paused and self.transport is not None and not self.closed:
            self._read_paused = False
            self.transport.resume_reading()

    # ---------------------------------------------------------------- handling
    def _start_next(self) -> None:
        req = self._queue.popleft()
        if len(self._queue) < self.limits.max_pipelined:
            self._resume_reading()
        self._task = self._loop.create_task(self._run(req))

    async def _run(self, req: IncomingRequest) -> None:
        try:
            await self.handler(req)
        except Exception:
            log.exception("unhandled error in request handler")
            self.close()
        self._task = None
        if self.closed:
            return
        if self._broken:
            if self._tunnel is not None and self._queue:  # a CONNECT pipelined behind this request
                self._start_next()
                return
            if self._pending_error is not None:
                self.write(encode_problem(self._pending_error, None, close=True, extra=self._hsts_headers()))
            self.close()
            return
        body = req.body
        if not req.keep_alive or self.draining or (body is not None and not body.complete):
            self.close()
            return
        if self._queue:
            self._start_next()
        else:
            self._arm_timer(self.limits.keepalive_timeout)

    # ---------------------------------------------------------------- writing
    def write(self, data: bytes) -> None:
        if not self.closed and self.transport is not None:
            self.transport.write(data)

    def close(self) -> None:
        if self.transport is not None and not self.closed:
            self.closed = True
            self.transport.close()

    def send_error_and_close(self, problem: Problem) -> None:
        """Answer a request we could not parse and close; nothing else is read from this connection."""
        self._cancel_timer()
        if self._task is None and not self.closed:
            self.write(encode_problem(problem, None, close=True, extra=self._hsts_headers()))
        self.close()

    def _hsts_headers(self) -> list[tuple[str, str]]:
        return [("strict-transport-security", self.listener.hsts)] if self.listener.hsts else []

    def send_continue(self) -> None:
        self.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def start_response(self, status: int, headers: list[tuple[str, str]], keep_alive: bool,
                       body: bytes = b"") -> None:
        """Write the response head, and the whole body with it when given (one syscall)."""
        head = "".join([f"{k}: {v}\r\n" for k, v in headers])
        if not keep_alive:
            head += "connection: close\r\n"
        self.write(status_line(status) + head.encode("latin-1") + b"\r\n" + body)


def make_factory(handler: Handler, limits: ServerLimits, listener: ListenerContext,
                 tracker: set[HTTP1Connection]) -> Callable[[], Any]:
    return lambda: HTTP1Connection(handler, limits, listener, tracker)
