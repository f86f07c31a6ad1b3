"""Serve a ``webapp.App`` directly on the HTTP/1.1 server (admin listener, sample APIs)."""

from __future__ import annotations

import logging
from urllib.parse import unquote

from bastion.http.headers import Headers
from bastion.http.problem import BAD_REQUEST, INTERNAL_ERROR, PAYLOAD_TOO_LARGE, REQUEST_TIMEOUT
from bastion.server.body import BodyError
from bastion.server.http1 import IncomingRequest
from bastion.server.wire import encode_problem
from bastion.webapp.app import App, AppRequest

log = logging.getLogger("bastion.app")


class AppHandler:
    def __init__(self, app: App, max_body: int = 1048576, server: str | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.server = server

    async def __call__(self, req: IncomingRequest) -> None:
        conn = req.conn
        body = b""
        if req.body is not None:
            if req.expect_continue:
                conn.send_continue()
            try:
                body = await req.body.read_all(self.max_body)
            except BodyError as exc:
                pt = {413: PAYLOAD_TOO_LARGE, 408: REQUEST_TIMEOUT}.get(exc.status, BAD_REQUEST)
                req.keep_alive = False
                conn.write(encode_problem(pt.problem(), None, close=True))
                return
        path, _, query = req.target.partition("?")
        areq = AppRequest(req.method, unquote(path), query, Headers.from_lower(req.headers), body,
                          conn.peer_ip, conn.listener.scheme, tls_peer_cert=conn.peer_cert)
        try:
            resp = await self.app.handle(areq)
        except Exception:
            log.exception("app failed")
            conn.write(encode_problem(INTERNAL_ERROR.problem(), None, close=not req.keep_alive))
            return
        hdrs = [(k.lower(), v) for k, v in resp.headers]
        hdrs.append(("content-length", str(len(resp.body))))
        if self.server:
            hdrs.append(("server", self.server))
        if conn.listener.hsts:
            hdrs.append(("strict-transport-security", conn.listener.hsts))
        conn.start_response(resp.status, hdrs, req.keep_alive, b"" if req.method == "HEAD" else resp.body)
