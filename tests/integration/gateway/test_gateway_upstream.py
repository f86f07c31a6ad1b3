"""Integration: upstream timeouts, retries on stale connections, fail-closed policies, reload on file change."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar, cast

import httpx
import pytest

from bastion.chain import registry
from bastion.chain.exchange import Exchange
from bastion.chain.policy import Policy
from bastion.http.problem import Problem
from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response
from conftest import BASE_CONFIG

pytestmark = pytest.mark.integration


class ExplodingPolicy(Policy):
    """A policy with a bug: the gateway must fail closed (500, nothing forwarded)."""

    name: ClassVar[str] = "exploding"

    async def on_request(self, ex: Exchange) -> Problem | None:
        raise RuntimeError("secret internal detail")


@pytest.fixture
def slow(lt: LoopThread) -> Iterator[RecordingUpstream]:
    r = Router()

    async def handler(req: AppRequest) -> AppResponse:
        r_ = up.requests
        r_.append(req)
        await asyncio.sleep(float(req.query.get("s", "0")))
        return json_response({"ok": True})

    for m in ("GET", "POST"):
        r.add(m, "/{a}", handler)
    up = RecordingUpstream(lt, app=r)
    up.start()
    yield up
    up.stop()


def test_slow_upstream_gets_504_without_internals(make_gateway: Callable[[str], GatewayThread],
                                                  slow: RecordingUpstream) -> None:
    text = BASE_CONFIG.format(port=slow.port, extra="").replace(
        f'up: {{url: "http://127.0.0.1:{slow.port}"}}',
        f'up: {{url: "http://127.0.0.1:{slow.port}", timeouts: {{read: 300ms}}}}')
    gw = make_gateway(text)
    started = time.monotonic()
    r = httpx.get(f"http://127.0.0.1:{gw.port}/x?s=2", timeout=5)
    assert r.status_code == 504 and time.monotonic() - started < 1.5
    assert str(slow.port) not in r.text and r.headers["content-type"] == "application/problem+json"


def test_idempotent_request_is_retried_on_a_stale_connection_but_post_is_not(
        make_gateway: Callable[[str], GatewayThread], slow: RecordingUpstream) -> None:
    gw = make_gateway(BASE_CONFIG.format(port=slow.port, extra=""))
    url = f"http://127.0.0.1:{gw.port}"
    assert httpx.get(url + "/warm").status_code == 200  # leaves an idle keep-alive connection in the pool
    slow.drop_reused = True
    assert httpx.get(url + "/again").status_code == 200  # the stale connection fails, a fresh one succeeds
    assert slow.dropped == 1
    assert httpx.post(url + "/p", content=b"{}").status_code == 502  # POST is not replayed
    assert slow.dropped == 2
    assert [r.path for r in slow.requests] == ["/warm", "/again"]


def test_policy_exception_fails_closed_and_forwards_nothing(make_gateway: Callable[[str], GatewayThread],
                                                            slow: RecordingUpstream) -> None:
    registry.register("exploding", f"{__name__}:ExplodingPolicy")
    try:
        text = BASE_CONFIG.format(port=slow.port, extra="    policies:\n      - exploding: {}\n")
        gw = make_gateway(text)
        r = httpx.post(f"http://127.0.0.1:{gw.port}/x", content=b'{"a": 1}')
        assert r.status_code == 500
        assert r.headers["content-type"] == "application/problem+json"
        assert "secret internal detail" not in r.text and "Traceback" not in r.text
        assert slow.requests == []
    finally:
        registry.BUILTIN.pop("exploding", None)


def test_config_file_change_is_picked_up(lt: LoopThread, tmp_path: Path, slow: RecordingUpstream) -> None:
    text = BASE_CONFIG.format(port=slow.port, extra="").replace("prefix: /", "path: /a")
    gw = GatewayThread(lt, tmp_path, text, watch=True).start()
    try:
        url = f"http://127.0.0.1:{gw.port}"
        assert httpx.get(url + "/b").status_code == 404
        time.sleep(1.1)  # mtime granularity: make the edit observable as a change
        (tmp_path / "bastion.yaml").write_text(text.replace("path: /a", "prefix: /"))
        deadline = time.monotonic() + 5
        while httpx.get(url + "/b").status_code != 200:
            assert time.monotonic() < deadline, "the edited file was not reloaded"
            time.sleep(0.1)
        (tmp_path / "bastion.yaml").write_text("listeners: [broken")
        time.sleep(2.5)
        assert httpx.get(url + "/b").status_code == 200, "a broken edit keeps the old config"
    finally:
        gw.stop()




class _CloseDelimited(asyncio.Protocol):
    """An HTTP/1.0-style upstream: a response without Content-Length or Transfer-Encoding, ended by closing."""

    body = b"hello from an old server\n" * 400

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if b"\r\n\r\n" in data:
            self.transport.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n")
            self.transport.write(self.body)
            self.transport.close()


def test_response_delimited_by_connection_close_is_forwarded_whole(
        lt: LoopThread, make_gateway: Callable[[str], GatewayThread]) -> None:
    async def serve() -> asyncio.AbstractServer:
        return await asyncio.get_running_loop().create_server(_CloseDelimited, "127.0.0.1", 0)

    server = lt.run(serve())
    try:
        port = server.sockets[0].getsockname()[1]
        gw = make_gateway(BASE_CONFIG.format(port=port, extra=""))
        for _ in range(3):  # each on a new upstream connection: a closed one is never reused
            r = httpx.get(f"http://127.0.0.1:{gw.port}/old", timeout=5)
            assert r.status_code == 200 and r.content == _CloseDelimited.body
    finally:
        server.close()
