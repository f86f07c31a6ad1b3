"""Serve a ``webapp.App`` on its own listener (sample APIs, test upstreams)."""

from __future__ import annotations

import asyncio
import ssl

from bastion.server.apphandler import AppHandler
from bastion.server.http1 import ListenerContext, ServerLimits, make_factory
from bastion.webapp.app import App


async def start_app_server(app: App, host: str = "127.0.0.1", port: int = 0,
                           ssl_context: ssl.SSLContext | None = None,
                           server_header: str | None = None) -> asyncio.AbstractServer:
    loop = asyncio.get_running_loop()
    ctx = ListenerContext("https" if ssl_context else "http")
    return await loop.create_server(make_factory(AppHandler(app, server=server_header), ServerLimits(), ctx, set()),
                                    host, port, ssl=ssl_context, backlog=2048)


def serve_app(app: App, host: str, port: int, cert: str | None = None, key: str | None = None) -> None:
    import uvloop

    async def main() -> None:
        ctx = None
        if cert and key:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.load_cert_chain(cert, key)
        server = await start_app_server(app, host, port, ctx)
        async with server:
            await server.serve_forever()

    uvloop.run(main())
