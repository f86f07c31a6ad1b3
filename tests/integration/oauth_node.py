"""Test support (not a test module): an auth "node" — the built-in authorization server plus a route
protected by the ``jwt`` policy — served by uvicorn on 127.0.0.1 port 0. Run in a thread
(``serve_in_thread``) or as a separate process (``python oauth_node.py SETTINGS_JSON``; prints the port);
and ``gateway_with_upstream``, the real gateway in front of a recording upstream."""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from bastion.chain.policy import PolicyDeps
from bastion.clock import SYSTEM_CLOCK
from bastion.oauth.services import build_auth_services
from bastion.policies.jwt import JwtConfig, JwtPolicy
from bastion.state import build_state
from bastion.testing.exchange import make_exchange
from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream
from bastion.webapp.app import App, AppRequest, AppResponse, json_response, problem_response
from bastion.webapp.asgi import to_asgi


class Node:
    def __init__(self, settings: dict[str, Any], base_dir: Path, state_url: str, prefix: str) -> None:
        self.state = build_state(state_url, prefix)
        self.services = build_auth_services(settings, self.state, SYSTEM_CLOCK, base_dir)
        deps = PolicyDeps(services=self.services)
        self.policy = JwtPolicy(JwtConfig(issuer="local", scopes=["orders:read"]), deps)

    async def close(self) -> None:
        await self.services["auth_close"]()  # type: ignore[operator]
        if self.state.redis is not None:
            await self.state.redis.aclose()

    async def handle(self, request: AppRequest) -> AppResponse:
        if request.path == "/check":
            ex = make_exchange(headers=request.headers.items())
            problem = await self.policy.on_request(ex)
            if problem is not None:
                return problem_response(problem)
            assert ex.principal is not None
            return json_response({"sub": ex.principal.subject})
        app = self.services["oauth_app"]
        assert app is not None
        return await app.handle(request)  # type: ignore[attr-defined, no-any-return]


def serve_in_thread(app: App, on_close: Callable[[], Awaitable[None]] | None = None,
                    ) -> tuple[int, Callable[[], None]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(to_asgi(app), log_level="warning", lifespan="off"))

    async def run() -> None:
        await server.serve(sockets=[sock])
        if on_close is not None:
            await on_close()

    thread = threading.Thread(target=lambda: asyncio.run(run()), daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(5)
        sock.close()

    return port, stop


@contextmanager
def gateway_with_upstream(folder: Path, config_template: str) -> Iterator[tuple[int, RecordingUpstream]]:
    """The real gateway (``bastion serve``) on a loop thread in front of a recording upstream. Writes a fresh
    master key into ``folder``; ``config_template`` gets the upstream's port as ``{port}``."""
    (folder / "master.key").write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    lt = LoopThread()
    upstream = RecordingUpstream(lt).start()
    gw = GatewayThread(lt, folder, config_template.format(port=upstream.port)).start()
    try:
        yield gw.port, upstream
    finally:
        gw.stop()
        upstream.stop()
        lt.stop()


def main() -> None:
    spec = json.loads(sys.argv[1])
    node = Node(spec["settings"], Path(spec["base_dir"]), spec["state"], spec["prefix"])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    server = uvicorn.Server(uvicorn.Config(to_asgi(node), log_level="warning", lifespan="off"))
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
