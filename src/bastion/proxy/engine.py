"""The gateway engine: one request from parse to response, around the route's compiled chain.

    parse (server/http1.py) → normalise path → route → [read body if a policy needs it]
    → chain request phase → forward upstream (the only I/O) → chain response phase
    → send → on_complete for every policy and observers
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

from bastion.chain.exchange import Exchange, RouteMatch
from bastion.config.compile import CompiledRoute, CompiledUpstream, Runtime
from bastion.errors import UpstreamTimeout, UpstreamUnavailable
from bastion.http.headers import Headers, MutableHeaders
from bastion.http.messages import RequestHead, ResponseHead
from bastion.http.paths import PathError, encode_path, normalize_path
from bastion.http.problem import (
    BAD_REQUEST,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    PAYLOAD_TOO_LARGE,
    SERVICE_UNAVAILABLE,
    UPSTREAM_INVALID,
    UPSTREAM_TIMEOUT,
    UPSTREAM_UNAVAILABLE,
    Problem,
)
from bastion.proxy.forwarding import (
    client_address,
    forward_request_headers,
    is_trusted,
    request_id,
    response_headers,
)
from bastion.proxy.internal import call_internal
from bastion.proxy.upstream import UpstreamResponse
from bastion.routing.table import NoMatch
from bastion.server.body import BodyError
from bastion.server.http1 import IncomingRequest
from bastion.server.wire import LAST_CHUNK, chunk, encode_problem

log = logging.getLogger("bastion.gateway")
NO_BODY_STATUS = frozenset({204, 304})
FRAMING = frozenset({"content-length", "transfer-encoding", "connection"})
STREAM_THRESHOLD = 64 * 1024
"""Request bodies up to this size are received whole before anything is sent upstream, so a body
with broken framing never reaches the upstream; larger ones stream."""


class Gateway:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.tracer = runtime.services.get("tracer")
        self.inflight = 0

    def swap(self, runtime: Runtime) -> Runtime:
        old, self.runtime = self.runtime, runtime
        self.tracer = runtime.services.get("tracer")
        return old

    async def handle(self, req: IncomingRequest) -> None:
        self.inflight += 1
        try:
            await self._handle(req)
        finally:
            self.inflight -= 1

    async def _handle(self, req: IncomingRequest) -> None:
        rt = self.runtime
        conn = req.conn
        headers = req.headers
        rid = request_id(headers, rt.config.request_id_header)
        raw_path, _, query = req.target.partition("?")
        if req.target == "*":
            return self._reject(req, rid, BAD_REQUEST.problem("'*' targets are not supported"))
        try:
            path = normalize_path(raw_path)
        except PathError as exc:
            return self._reject(req, rid, BAD_REQUEST.problem(f"invalid path: {exc}"))
        host = req.host.rsplit(":", 1)[0].lower() if not req.host.startswith("[") else req.host
        m = rt.table.match(req.method, host, path)
        if isinstance(m, NoMatch):
            if m.status == 405:
                return self._reject(req, rid, METHOD_NOT_ALLOWED.problem(
                    headers=(("allow", ", ".join(m.allow)),)))
            return self._reject(req, rid, NOT_FOUND.problem())
        route: CompiledRoute = m.spec.target
        trusted = is_trusted(conn.peer_ip, rt.trusted_proxies)
        head = RequestHead(
            method=req.method, path=path, raw_path=raw_path, query_string=query,
            headers=Headers.from_lower(headers), scheme=conn.listener.scheme,
            client_ip=client_address(conn.peer_ip, headers, rt.trusted_proxies) if trusted else conn.peer_ip,
            http_version=req.version, host=req.host, tls_peer_cert=conn.peer_cert,
            tls_peer_chain=conn.peer_chain,
        )
        ex = Exchange(
            request=head,
            route=RouteMatch(route.id, m.params, route.upstream.name if route.upstream else None,
                             template=m.template),
            request_id=rid, received_at=time.time(),
            forward_headers=MutableHeaders.from_lower(forward_request_headers(headers, trusted)),
        )
        if self.tracer is not None:
            ex.trace = self.tracer.start(ex)
        entered = 0
        problem: Problem | None = None
        try:
            problem, entered = await self._request_phase(req, ex, route)
            if problem is None:
                await self._forward(req, ex, route, entered)
            else:
                await self._send_problem(req, ex, route, problem, max(entered - 1, 0))
        finally:
            ex.completed_at = time.time()
            if ex.trace is not None:
                ex.trace.finish(ex)
            if route.chain.completers:
                await route.chain.run_complete(ex)
            for observer in rt.services.get("observers", ()):
                try:
                    observer.observe(ex)
                except Exception:
                    log.exception("observer failed")

    async def _request_phase(self, req: IncomingRequest, ex: Exchange,
                             route: CompiledRoute) -> tuple[Problem | None, int]:
        guard = self.runtime.services.get("guard")
        if guard is not None:
            blocked = await guard.check(ex.request.client_ip, None, route.id)
            if blocked is not None:
                return blocked, 0
        body = req.body
        if body is not None:
            declared = ex.request.headers.get("content-length")
            if declared is not None and int(declared) > route.max_body:
                return PAYLOAD_TOO_LARGE.problem().with_close(), 0
            if req.expect_continue:
                req.conn.send_continue()
            if route.chain.needs_request_body or (route.upstream is not None and route.upstream.app is not None):
                try:
                    ex.request_body = await body.read_all(route.max_body)
                except BodyError as exc:
                    return _body_problem(exc), 0
        elif route.chain.needs_request_body:
            ex.request_body = b""
        if not len(route.chain):
            return None, 0
        problem, entered = await route.chain.run_request(ex)
        if problem is None and guard is not None and ex.principal is not None:
            blocked = await guard.check_identity(ex)
            if blocked is not None:
                return blocked, entered
        return problem, entered

    # ------------------------------------------------------------------ forwarding
    def _upstream_head(self, ex: Exchange, up: CompiledUpstream, route: CompiledRoute, length: int | None,
                       streaming: bool) -> bytes:
        path = ex.request.path
        if route.strip_prefix and path.startswith(route.strip_prefix):
            path = path[len(route.strip_prefix):] or "/"
            if not path.startswith("/"):
                path = "/" + path
        target = up.base_path + encode_path(path)
        if ex.request.query_string:
            target += "?" + ex.request.query_string
        req = ex.request
        host = req.host if up.preserve_host else up.authority
        fh = ex.forward_headers
        prior = [v for k, v in fh if k == "x-forwarded-for"]
        lines = [f"{req.method} {target} HTTP/1.1\r\nhost: {host}\r\n"]
        for k, v in fh:
            if k in ("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-request-id"):
                continue
            lines.append(f"{k}: {v}\r\n")
        xff = ", ".join([*prior, req.client_ip]) if prior else req.client_ip
        lines.append(f"x-forwarded-for: {xff}\r\nx-forwarded-proto: {req.scheme}\r\n"
                     f"x-forwarded-host: {req.host}\r\nx-request-id: {ex.request_id}\r\n")
        if length is not None:
            lines.append(f"content-length: {length}\r\n")
        elif streaming:
            lines.append("transfer-encoding: chunked\r\n")
        lines.append("\r\n")
        return "".join(lines).encode("latin-1")

    async def _forward(self, req: IncomingRequest, ex: Exchange, route: CompiledRoute, entered: int) -> None:
        up = route.upstream
        if up is None:
            return await self._send_problem(req, ex, route, NOT_FOUND.problem(), entered)
        if up.app is not None:
            serve = up.serve_exchange
            status, headers, app_body = await (serve(ex) if serve is not None else call_internal(up.app, ex))
            return await self._respond(req, ex, route, entered, status, headers, app_body, None)
        assert up.pool is not None
        body: bytes | AsyncIterator[bytes] | None
        if ex.request_body is not None:
            body = ex.request_body
            length: int | None = len(body)
        elif req.body is not None:
            declared = ex.request.headers.get("content-length")
            try:
                first = await req.body.read_upto(STREAM_THRESHOLD, route.max_body)
            except BodyError as exc:
                return await self._send_problem(req, ex, route, _body_problem(exc), entered)
            if req.body.complete:
                body, length = first, len(first)
            else:
                body = req.body.iter_chunks(route.max_body, first)
                length = int(declared) if declared is not None else None
        else:
            body, length = None, (0 if ex.request.method in ("POST", "PUT", "PATCH") else None)
        chunked = body is not None and length is None
        trace = ex.trace
        if trace is not None:
            trace.upstream_started(ex.forward_headers, up.name, up.url)
        head = self._upstream_head(ex, up, route, length, chunked)
        loop = asyncio.get_running_loop()
        started = loop.time()
        outcome: int | str = "incomplete"  # the upstream's status, or why there is none (for the trace)
        try:
            resp = await up.pool.request(ex.request.method, head, body, chunked, started + up.total_timeout)
            outcome = resp.status
            try:
                await self._relay(req, ex, route, entered, resp)
            finally:
                resp.release()
        except UpstreamTimeout:
            outcome = "timeout"
            await self._send_problem(req, ex, route, UPSTREAM_TIMEOUT.problem(), entered)
        except UpstreamUnavailable as down:  # one name per clause: compiled (bastion.native), a name has one type
            outcome = "unavailable"
            log.warning("upstream %s unavailable: %s", up.name, down)
            pt = SERVICE_UNAVAILABLE if "circuit open" in str(down) else UPSTREAM_UNAVAILABLE
            await self._send_problem(req, ex, route, pt.problem(), entered)
        except BodyError as exc:
            await self._send_problem(req, ex, route, _body_problem(exc), entered)
        finally:
            ex.upstream_duration = loop.time() - started
            if trace is not None:
                trace.upstream_finished(ex.request.method, outcome)

    async def _relay(self, req: IncomingRequest, ex: Exchange, route: CompiledRoute, entered: int,
                     resp: UpstreamResponse) -> None:
        if ex.response is not None and ex.bytes_sent:
            return
        if route.chain.needs_response_body and ex.request.method != "HEAD":
            data = await resp.read_all(self.runtime.limits.max_response_buffer)
            if data is None:
                return await self._send_problem(req, ex, route, UPSTREAM_INVALID.problem(
                    "upstream response too large"), entered)
            return await self._respond(req, ex, route, entered, resp.status, resp.headers, data, None)
        await self._respond(req, ex, route, entered, resp.status, resp.headers, None, resp)

    async def _respond(self, req: IncomingRequest, ex: Exchange, route: CompiledRoute, entered: int,
                       status: int, headers: list[tuple[str, str]], body: bytes | None,
                       stream: UpstreamResponse | None) -> None:
        ex.response = ResponseHead(status, MutableHeaders.from_lower(response_headers(headers)))
        ex.response_body = body
        if entered and route.chain.responds:
            problem = await route.chain.run_response(ex, entered)
            if problem is not None:
                return self._write_problem(req, ex, problem)
        await self._write_response(req, ex, stream)

    async def _send_problem(self, req: IncomingRequest, ex: Exchange, route: CompiledRoute, problem: Problem,
                            entered: int) -> None:
        if problem.status < 400:  # a policy answering by itself (e.g. a CORS preflight): headers only
            ex.response = ResponseHead(problem.status, MutableHeaders.from_lower(
                [(k.lower(), v) for k, v in problem.headers]))
            ex.response_body = b""
            if entered and route.chain.responds:
                replaced = await route.chain.run_response(ex, entered)
                if replaced is not None:
                    return self._write_problem(req, ex, replaced)
            return await self._write_response(req, ex, None)
        ex.problem = problem
        body = problem.body(ex.request_id)
        hdrs = [("content-type", "application/problem+json"), ("cache-control", "no-store"), *problem.headers]
        ex.response = ResponseHead(problem.status, MutableHeaders.from_lower(list(hdrs)))
        ex.response_body = body
        if entered and route.chain.responds:
            replaced = await route.chain.run_response(ex, entered)
            if replaced is not None:
                return self._write_problem(req, ex, replaced)
        if problem.close:
            req.keep_alive = False
        await self._write_response(req, ex, None)

    def _write_problem(self, req: IncomingRequest, ex: Exchange, problem: Problem) -> None:
        ex.problem = problem
        ex.response = ResponseHead(problem.status, MutableHeaders())
        keep = req.keep_alive and not problem.close
        req.keep_alive = keep
        data = encode_problem(problem, ex.request_id, close=not keep, extra=self._extra(req),
                              head_only=req.method == "HEAD")
        ex.bytes_sent = len(data)
        req.conn.write(data)

    def _reject(self, req: IncomingRequest, rid: str, problem: Problem) -> None:
        """Answer a request that never reached a route (bad path, 404, 405); observers still see it."""
        keep = req.keep_alive and not problem.close
        req.keep_alive = keep
        data = encode_problem(problem, rid, close=not keep, extra=self._extra(req), head_only=req.method == "HEAD")
        req.conn.write(data)
        for observer in self.runtime.services.get("observers", ()):
            unrouted = getattr(observer, "observe_unrouted", None)
            if unrouted is None:
                continue
            try:
                ip = client_address(req.conn.peer_ip, req.headers, self.runtime.trusted_proxies)
                unrouted(method=req.method, path=req.target.partition("?")[0][:256], client_ip=ip,
                         status=problem.status, request_id=rid, received_at=time.time(), bytes_sent=len(data))
            except Exception:
                log.exception("observer failed")

    def _extra(self, req: IncomingRequest) -> list[tuple[str, str]]:
        hsts = req.conn.listener.hsts
        return [("strict-transport-security", hsts)] if hsts else []

    async def _write_response(self, req: IncomingRequest, ex: Exchange, stream: UpstreamResponse | None) -> None:
        conn = req.conn
        resp = ex.response
        assert resp is not None
        status = resp.status
        hdrs = [(k, v) for k, v in resp.headers.items() if k not in FRAMING]  # framing is ours alone
        hdrs.append(("x-request-id", ex.request_id))
        if conn.listener.hsts:
            hdrs.append(("strict-transport-security", conn.listener.hsts))
        if "x-content-type-options" not in resp.headers:
            hdrs.append(("x-content-type-options", "nosniff"))
        if self.runtime.config.server_header:
            hdrs.append(("server", "bastion"))
        head_only = req.method == "HEAD" or status in NO_BODY_STATUS
        keep = req.keep_alive and not conn.draining
        body = ex.response_body
        if stream is not None and not head_only:
            complete = stream.take_complete_body()
            if complete is not None:
                body, stream = complete, None
        if stream is None:
            data = body or b""
            if status not in NO_BODY_STATUS:
                hdrs.append(("content-length", str(len(data))))
            req.keep_alive = keep
            conn.start_response(status, hdrs, keep, b"" if head_only else data)
            ex.bytes_sent = len(data)
            return
        if head_only:
            if stream.content_length is not None and status not in NO_BODY_STATUS:
                hdrs.append(("content-length", str(stream.content_length)))
            conn.start_response(status, hdrs, keep)
            req.keep_alive = keep
            return
        chunked = stream.content_length is None
        if chunked and req.version == "1.0":
            keep = False
            chunked = False
        elif not chunked:
            hdrs.append(("content-length", str(stream.content_length)))
        else:
            hdrs.append(("transfer-encoding", "chunked"))
        conn.start_response(status, hdrs, keep)
        req.keep_alive = keep
        sent = 0
        try:
            async for piece in stream.iter_body():
                sent += len(piece)
                conn.write(chunk(piece) if chunked else piece)
                await conn.drain()
                if conn.closed:
                    break
        except (UpstreamTimeout, UpstreamUnavailable):
            conn.close()  # headers are out: the only honest signal left is an incomplete message
            ex.bytes_sent = sent
            return
        if chunked:
            conn.write(LAST_CHUNK)
        ex.bytes_sent = sent


def _body_problem(exc: BodyError) -> Problem:
    from bastion.http.problem import REQUEST_TIMEOUT

    if exc.status == 413:
        return PAYLOAD_TOO_LARGE.problem().with_close()
    if exc.status == 408:
        return REQUEST_TIMEOUT.problem().with_close()
    return BAD_REQUEST.problem("request body could not be read").with_close()

