"""Helpers for the test_scan_* modules: the sample API (or any App) under uvicorn on 127.0.0.1:0."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from bastion.webapp.app import App, AppRequest, AppResponse
from bastion.webapp.asgi import to_asgi

LOGIN_FLOW = """\
identities:
  a: {request: {method: POST, path: /api/v1/auth/login, json: {username: alice, password: alice-pass-1}}}
  b: {request: {method: POST, path: /api/v1/auth/login, json: {username: bob, password: bob-pass-2}}}
  admin: {request: {method: POST, path: /api/v1/auth/login, json: {username: admin, password: admin-pass-3}}}
"""


class Recording:
    """Wraps an App and remembers (method, path) of every request it serves."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.seen: list[tuple[str, str]] = []

    async def handle(self, request: AppRequest) -> AppResponse:
        self.seen.append((request.method, request.path))
        return await self.app.handle(request)


@contextmanager
def serve(app: App, certfile: Path | None = None, keyfile: Path | None = None) -> Iterator[int]:
    """Serve ``app`` on 127.0.0.1, port 0, in a thread (TLS with ``certfile``); yields the port."""
    config = uvicorn.Config(to_asgi(app), host="127.0.0.1", port=0, log_level="error", lifespan="off",
                            server_header=False, date_header=False,
                            ssl_certfile=str(certfile) if certfile else None,
                            ssl_keyfile=str(keyfile) if keyfile else None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = int(server.servers[0].sockets[0].getsockname()[1])
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def write_login_flow(folder: Path) -> Path:
    path = folder / "login.yaml"
    path.write_text(LOGIN_FLOW)
    return path
