"""Serve an in-process ``webapp.App`` as an upstream (``url: internal:<name>``)."""

from __future__ import annotations

from bastion.chain.exchange import Exchange
from bastion.http.headers import Headers
from bastion.webapp.app import App, AppRequest


async def call_internal(app: App, ex: Exchange) -> tuple[int, list[tuple[str, str]], bytes]:
    req = ex.request
    areq = AppRequest(
        method=req.method,
        path=req.path,
        query_string=req.query_string,
        headers=Headers.from_lower([*ex.forward_headers.items(), ("x-request-id", ex.request_id)]),
        body=ex.request_body or b"",
        client_ip=req.client_ip,
        scheme=req.scheme,
        tls_peer_cert=req.tls_peer_cert,
        principal=ex.principal,
    )
    resp = await app.handle(areq)
    return resp.status, [(k.lower(), v) for k, v in resp.headers], resp.body
