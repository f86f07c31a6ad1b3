"""Fixtures for gateway integration tests: a loop thread, a recording upstream, a gateway factory."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream

BASE_CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
limits: {{max_body_bytes: 4096, header_timeout: 1s, body_timeout: 1s, max_headers: 20, max_header_bytes: 2048,
         max_request_line: 1024, drain_timeout: 3s}}
upstreams:
  up: {{url: "http://127.0.0.1:{port}"}}
routes:
  - id: echo
    match: {{prefix: /}}
    upstream: up
    public: true
{extra}
"""


@pytest.fixture(scope="module")
def lt() -> Iterator[LoopThread]:
    t = LoopThread()
    yield t
    t.stop()


@pytest.fixture
def upstream(lt: LoopThread) -> Iterator[RecordingUpstream]:
    up = RecordingUpstream(lt).start()
    yield up
    up.stop()


@pytest.fixture
def make_gateway(lt: LoopThread, tmp_path: Path) -> Iterator[Callable[[str], GatewayThread]]:
    started: list[GatewayThread] = []

    def make(text: str) -> GatewayThread:
        gw = GatewayThread(lt, tmp_path, text).start()
        started.append(gw)
        return gw

    yield make
    for gw in started:
        gw.stop()


@pytest.fixture
def gateway(make_gateway: Callable[[str], GatewayThread], upstream: RecordingUpstream) -> GatewayThread:
    return make_gateway(BASE_CONFIG.format(port=upstream.port, extra=""))


def raw_exchange(port: int, data: bytes, timeout: float = 3.0) -> bytes:
    """Send raw bytes, read until the server closes (or the timeout), return everything received."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except TimeoutError:
            pass
        return out


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0
