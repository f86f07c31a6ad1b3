"""Real servers on loopback for integration tests: a recording upstream and a gateway in a thread."""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar, cast

import orjson

from bastion.server.apphandler import AppHandler
from bastion.server.http1 import HTTP1Connection, ListenerContext, ServerLimits
from bastion.server.runner import GatewayServer
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response

T = TypeVar("T")


class LoopThread:
    """An event loop (uvloop) running in a daemon thread; run coroutines on it from test code."""

    def __init__(self) -> None:
        import uvloop

        self.loop = uvloop.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        fut: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return fut.result(timeout)

    def stop(self) -> None:
        async def shutdown() -> None:
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
            await asyncio.sleep(0)
            await asyncio.get_running_loop().shutdown_default_executor()

        try:
            self.run(shutdown(), timeout=5)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)


class RecordingUpstream:
    """An upstream that records every raw byte it receives and each parsed request."""

    def __init__(self, lt: LoopThread, app: Router | None = None, ssl_context: ssl.SSLContext | None = None) -> None:
        self.lt = lt
        self.raw: list[bytes] = []
        self.requests: list[AppRequest] = []
        self.app = app or self.echo_app()
        self.ssl_context = ssl_context
        self.server: asyncio.AbstractServer | None = None
        self.port = 0
        self.drop_reused = False
        """When set, a request arriving on an already-used connection is dropped unanswered (the
        idle-timeout race a pooled client must survive)."""
        self.dropped = 0

    def echo_app(self) -> Router:
        r = Router()

        async def echo(req: AppRequest) -> AppResponse:
            self.requests.append(req)
            return json_response({"method": req.method, "path": req.path, "query": req.query_string,
                                  "headers": req.headers.items(), "body_len": len(req.body)})

        for m in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
            r.add(m, "/{a}", echo)
            r.add(m, "/{a}/{b}", echo)
            r.add(m, "/{a}/{b}/{c}", echo)
            r.add(m, "/", echo)
        return r

    def start(self) -> RecordingUpstream:
        upstream = self
        handler = AppHandler(self.app, max_body=64 * 1024 * 1024, server="upstream/1.0")
        ctx = ListenerContext("https" if self.ssl_context else "http")

        class Recording(asyncio.Protocol):
            """Records every read, then hands it to a real connection (wrapped, not subclassed: the connection
            class may be compiled, ``bastion.native``, and compiled classes take no interpreted subclass)."""

            def __init__(self) -> None:
                self.inner = HTTP1Connection(handler, ServerLimits(), ctx, set())
                self.transport: asyncio.Transport | None = None

            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                self.transport = cast(asyncio.Transport, transport)
                self.inner.connection_made(transport)

            def data_received(self, data: bytes) -> None:
                if upstream.drop_reused and self.inner.completed_messages and self.transport is not None:
                    upstream.dropped += 1
                    self.transport.close()
                    return
                upstream.raw.append(data)
                self.inner.data_received(data)

            def eof_received(self) -> bool | None:
                return self.inner.eof_received()

            def connection_lost(self, exc: Exception | None) -> None:
                self.inner.connection_lost(exc)

            def pause_writing(self) -> None:
                self.inner.pause_writing()

            def resume_writing(self) -> None:
                self.inner.resume_writing()

        async def go() -> None:
            loop = asyncio.get_running_loop()
            self.server = await loop.create_server(
                Recording, "127.0.0.1", 0, ssl=self.ssl_context)
            self.port = self.server.sockets[0].getsockname()[1]

        self.lt.run(go())
        return self

    @property
    def received(self) -> bytes:
        return b"".join(self.raw)

    def stop(self) -> None:
        server = self.server
        if server is None:
            return

        async def close() -> None:
            server.close()
            await server.wait_closed()

        self.lt.run(close())
        self.server = None


class GatewayThread:
    """``bastion serve`` on a loop thread, bound to port 0; the config is written to ``folder``."""

    def __init__(self, lt: LoopThread, folder: Path, config_text: str, watch: bool = False) -> None:
        self.lt = lt
        self.folder = folder
        self.path = folder / "bastion.yaml"
        self.path.write_text(config_text)
        self.server = GatewayServer(self.path, watch=watch)

    def start(self) -> GatewayThread:
        self.lt.run(self.server.start())
        return self

    @property
    def port(self) -> int:
        return int(self.server.bound[0][1])

    def reload(self, text: str) -> bool:
        self.path.write_text(text)
        return self.lt.run(self.server.reload())

    def stop(self) -> None:
        self.lt.run(self.server.drain_and_close())


def json_of(body: bytes) -> Any:
    return orjson.loads(body)


def call_soon(lt: LoopThread, fn: Callable[[], None]) -> None:
    lt.loop.call_soon_threadsafe(fn)
