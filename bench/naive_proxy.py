"""The naive Python proxy ``make bench`` compares against: Starlette on uvicorn with an httpx client.

    python -m bench.naive_proxy PORT UPSTREAM_PORT
"""

from __future__ import annotations

import sys

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "proxy-connection", "host",
       "content-length"}


def build(upstream: str) -> Starlette:
    client = httpx.AsyncClient(base_url=upstream, limits=httpx.Limits(max_keepalive_connections=64))

    async def proxy(request: Request) -> Response:
        headers = [(k, v) for k, v in request.headers.items() if k not in HOP]
        resp = await client.request(request.method, request.url.path, params=request.query_params,
                                    headers=headers, content=await request.body())
        out = {k: v for k, v in resp.headers.items() if k not in HOP}
        return Response(resp.content, resp.status_code, out)

    return Starlette(routes=[Route("/{path:path}", proxy, methods=["GET", "POST", "PUT", "DELETE"])])


if __name__ == "__main__":
    port, up = int(sys.argv[1]), int(sys.argv[2])
    uvicorn.run(build(f"http://127.0.0.1:{up}"), host="127.0.0.1", port=port, log_level="error",
                loop="uvloop", http="httptools")
