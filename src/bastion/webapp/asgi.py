"""Adapt an ``App`` to ASGI so it can run under uvicorn (tests, or embedding elsewhere)."""

from __future__ import annotations

from typing import Any

from bastion.http.headers import Headers
from bastion.webapp.app import App, AppRequest


def to_asgi(app: App) -> Any:
    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                msg = await receive()
                if msg["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif msg["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        body = b""
        while True:
            msg = await receive()
            body += msg.get("body", b"")
            if not msg.get("more_body"):
                break
        headers = Headers((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"])
        client = scope.get("client") or ("127.0.0.1", 0)
        req = AppRequest(
            method=scope["method"],
            path=scope["path"],
            query_string=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            body=body,
            client_ip=client[0],
            scheme=scope.get("scheme", "http"),
        )
        resp = await app.handle(req)
        await send(
            {
                "type": "http.response.start",
                "status": resp.status,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in resp.headers],
            }
        )
        await send({"type": "http.response.body", "body": resp.body})

    return asgi
