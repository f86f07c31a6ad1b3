"""Unit: what a partner's connection holds in memory — the response head limit and the unread-body
buffer — fed through the real parser with a recording fake transport (no sockets)."""

from __future__ import annotations

import asyncio
import ssl

import pytest

from bastion.egress.client import PartnerResponse
from bastion.egress.connector import PinnedBackend, StaticResolver
from bastion.egress.partner_pool import MAX_HEAD_BYTES, OriginPool, PartnerConnection
from bastion.errors import UpstreamUnavailable
from bastion.proxy.upstream import BODY_BUFFER, PoolSettings, UpstreamConnection, UpstreamPool

pytestmark = pytest.mark.anyio


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written: list[bytes] = []
        self.paused = self.aborted = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written.append(bytes(data))

    def pause_reading(self) -> None:
        self.paused = True

    def resume_reading(self) -> None:
        self.paused = False

    def abort(self) -> None:
        self.aborted = True


def _connection() -> tuple[PartnerConnection, FakeTransport]:
    settings = PoolSettings("api.test", 443, ssl.create_default_context(), "api.test")
    conn = PartnerConnection(OriginPool(settings, PinnedBackend("p", StaticResolver({}), frozenset())))
    transport = FakeTransport()
    conn.connection_made(transport)
    return conn, transport


async def test_unread_body_pauses_reading_past_the_buffer() -> None:
    conn, transport = _connection()
    sending = asyncio.ensure_future(conn.send(b"GET / HTTP/1.1\r\n\r\n", None, False, 5.0, False))
    await asyncio.sleep(0)
    conn.data_received(b"HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n")
    assert (await sending)[0] == 200
    piece = b"x" * 65536
    for _ in range(BODY_BUFFER // len(piece)):
        conn.data_received(piece)
    assert not transport.paused
    conn.data_received(piece)
    assert transport.paused  # a partner cannot make the gateway hold more than about BODY_BUFFER unread


@pytest.mark.parametrize("size", [1024, 65536, 256 * 1024 + 1])
async def test_gateway_upstream_connection_bounds_unread_body_in_bytes(size: int) -> None:
    """Every upstream connection (not only a partner's) stops reading once about BODY_BUFFER bytes wait
    unread, whatever the chunk size (it used to count 64 chunks: up to 64 reads of any size)."""
    conn = UpstreamConnection(UpstreamPool(PoolSettings("shop.test", 80, None, "shop.test")))
    transport = FakeTransport()
    conn.connection_made(transport)
    sending = asyncio.ensure_future(conn.send(b"GET / HTTP/1.1\r\n\r\n", None, False, 5.0, False))
    await asyncio.sleep(0)
    conn.data_received(b"HTTP/1.1 200 OK\r\ncontent-length: 100000000\r\n\r\n")
    assert (await sending)[0] == 200
    held = 0
    while not transport.paused:
        conn.data_received(b"x" * size)
        held += size
    assert BODY_BUFFER < held <= BODY_BUFFER + size
    chunks = conn.body_chunks()
    assert len(await chunks.__anext__()) == held and not transport.paused  # reading resumes once drained
    await chunks.aclose()


@pytest.mark.parametrize("pieces", [1, 40])
async def test_response_head_over_the_limit_fails_the_call(pieces: int) -> None:
    conn, transport = _connection()
    sending = asyncio.ensure_future(conn.send(b"GET / HTTP/1.1\r\n\r\n", None, False, 5.0, False))
    await asyncio.sleep(0)
    head = b"HTTP/1.1 200 OK\r\n" + b"".join(b"x-h%d: %s\r\n" % (i, b"v" * 100) for i in range(200)) + b"\r\n"
    assert len(head) > MAX_HEAD_BYTES
    size = -(-len(head) // pieces)
    for start in range(0, len(head), size):
        conn.data_received(head[start:start + size])
    with pytest.raises(UpstreamUnavailable, match="response head larger than"):
        await sending
    assert transport.aborted


def test_partner_response_header_lookup() -> None:
    resp = PartnerResponse(302, [("content-type", "text/plain"), ("location", "/next")], b"")
    assert resp.header("Location") == "/next" and resp.header("etag") is None
