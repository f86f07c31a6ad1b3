"""Unit: tunnel limits (pure ``expiry``), which partner an absolute-form target addresses (``PartnerIndex``),
and one tunnel spliced over a loopback TCP echo server with a fake client side."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bastion.egress.build import build_egress_sync
from bastion.egress.config import EgressSection
from bastion.egress.credential_source import CredentialSource
from bastion.egress.forward_proxy import PartnerIndex
from bastion.egress.proxy_target import parse_absolute_form
from bastion.egress.tunnel import Tunnel, expiry
from bastion.server.http1 import TunnelSink


@pytest.mark.parametrize(("now", "last", "expected"), [
    (100.0, 100.0, (None, 10.0)),  # just opened: the idle limit comes first
    (105.0, 104.0, (None, 9.0)),
    (109.9, 100.0, (None, pytest.approx(0.1))),
    (110.0, 100.0, ("idle-timeout", 0.0)),
    (195.0, 194.0, (None, 5.0)),  # busy, but the total limit is near
    (200.0, 199.9, ("max-duration", 0.0)),
    (250.0, 100.0, ("max-duration", 0.0)),  # both passed: the total limit is named
])
def test_expiry(now: float, last: float, expected: tuple[str | None, float]) -> None:
    assert expiry(now, 100.0, last, idle=10.0, total=100.0) == expected


@pytest.fixture(scope="module")
def index() -> PartnerIndex:
    partners = {
        "v1": {"url": "https://api.partner.test/v1", "callers": ["a"]},
        "v1-admin": {"url": "https://api.partner.test/v1/admin", "callers": ["a"]},
        "root": {"url": "https://other.test:8443", "callers": ["a"]},
    }
    section = EgressSection.model_validate({"partners": partners})
    service = build_egress_sync(section, CredentialSource(None), base_dir=Path("."))
    return PartnerIndex(service.partners)


@pytest.mark.parametrize(("url", "expected"), [
    ("http://api.partner.test/v1/charges", ("v1", "/charges")),
    ("http://api.partner.test/v1", ("v1", "/")),
    ("https://api.partner.test:443/v1/x", ("v1", "/x")),
    ("http://api.partner.test:80/v1/x", ("v1", "/x")),
    ("http://api.partner.test/v1/admin/users", ("v1-admin", "/users")),  # the longest base path wins
    ("http://api.partner.test/v1admin/users", None),  # base paths match whole segments only
    ("http://api.partner.test/v2/charges", None),
    ("http://api.partner.test:8443/v1/x", None),
    ("http://other.test:8443/anything", ("root", "/anything")),
    ("http://other.test/anything", ("root", "/anything")),
    ("http://other.test:9000/anything", None),
    ("http://unknown.test/v1/charges", None),
])
def test_partner_index(index: PartnerIndex, url: str, expected: tuple[str, str] | None) -> None:
    target = parse_absolute_form(url)
    found = index.match(target, target.path)
    assert (None if found is None else (found[0].name, found[1])) == expected


class FakeClient:
    def __init__(self) -> None:
        self.closed = False
        self.sink: TunnelSink | None = None
        self.received = b""

    def write(self, data: bytes) -> None:
        self.received += data

    async def drain(self) -> None:
        return None

    def detach(self, sink: TunnelSink) -> None:
        self.sink = sink

    def pause_reading(self) -> None:
        return None

    def resume_reading(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True


@pytest.mark.anyio
async def test_tunnel_splices_both_ways_and_ends_when_the_partner_closes() -> None:
    async def echo_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write((await reader.readexactly(5)).upper())
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(echo_once, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    client = FakeClient()
    tunnel = Tunnel(client, reader, writer, idle_timeout=30.0, max_duration=60.0)
    task = asyncio.create_task(tunnel.run())
    await asyncio.sleep(0)
    assert client.sink is not None
    client.sink.feed(b"hel")
    client.sink.feed(b"lo")
    stats = await asyncio.wait_for(task, 10)
    server.close()
    await server.wait_closed()
    assert client.received == b"HELLO" and client.closed
    assert (stats.bytes_up, stats.bytes_down, stats.ended_by) == (5, 5, "partner-closed")
