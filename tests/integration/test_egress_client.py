"""Integration: the partner client over real TLS on loopback — one checked, kept-alive connection per
origin (the token endpoint may be another one), new connections after a TLS context change while the
call in flight finishes, a credential that would split the request head is never sent, a call whose
connection dies under it is sent again only when it is idempotent, and a body that runs to the end of the
connection is accepted while one cut short is not."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import orjson
import pytest
from egress_fakes import Apps, AuditList, FakePartner, Pki, call, serve

from bastion.secrets.store import SecretStore

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
pytest_plugins = ["egress_fixtures"]  # fixtures: pki, partner, port, apps, store


class CountingResolver:
    """Every new connection resolves once: the count is the number of connections opened."""

    def __init__(self) -> None:
        self.calls = 0

    async def resolve(self, host: str, port: int) -> list[str]:
        self.calls += 1
        return ["127.0.0.1"]


@pytest.mark.parametrize("value", ["key-v1\r\nx-injected: yes", "key-v1\nx-injected: yes", "key-v1\x00"])
async def test_credential_that_would_split_the_request_head_is_never_sent(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps, value: str
) -> None:
    await store.set("partner.bad_key", value, actor="test")
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit,
                     credential={"kind": "api_key", "header": "x-api-key", "value": "${secret:partner.bad_key}"})
    resp = await call(app, "GET", "/orders/1")
    assert resp.status == 502 and b"key-v1" not in resp.body
    assert audit[-1]["outcome"] == "unsafe-request" and "key-v1" not in audit[-1]["reason"]
    assert partner.api_requests == 0 and partner.seen_headers == []


async def test_keep_alive_reuses_the_checked_connection(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    resolver = CountingResolver()
    app = await apps(pki, port, store, resolver=resolver)
    for n in range(4):  # the token request and four API calls: one origin, one connection
        assert (await call(app, "GET", f"/orders/{n}")).status == 200
    client = app.service.partners["partner"].client
    assert resolver.calls == 1 and partner.token_requests == 1
    assert list(client.pools) == [("partner.test", port)] and client.pools["partner.test", port].idle == 1


async def test_token_endpoint_on_another_origin_has_its_own_pool(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    with serve(partner.app(), pki) as token_port:  # the same partner's token endpoint, on another port
        credential = {"kind": "oauth2", "token_url": f"https://partner.test:{token_port}/oauth/token",
                      "client_id": "bastion", "client_secret": "${secret:partner.client_secret}"}
        app = await apps(pki, port, store, credential=credential)
        assert (await call(app, "GET", "/orders/1")).status == 200
        assert (await call(app, "GET", "/orders/2")).status == 200
        client = app.service.partners["partner"].client
        assert sorted(client.pools) == sorted([("partner.test", port), ("partner.test", token_port)])
        assert partner.token_requests == 1 and partner.api_requests == 2
        await apps.aclose()
        apps.built.clear()


async def test_new_tls_context_opens_new_connections_and_the_call_in_flight_finishes(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    resolver = CountingResolver()
    app = await apps(pki, port, store, resolver=resolver, credential={"kind": "none"})
    assert (await call(app, "GET", "/stall")).status == 200
    client = app.service.partners["partner"].client
    old = client.pools["partner.test", port]
    statuses: list[int] = []

    async def slow() -> None:
        statuses.append((await call(app, "GET", "/slow")).status)

    async with anyio.create_task_group() as tg:
        tg.start_soon(slow)  # takes the idle connection; the partner answers after 1.2 s
        with anyio.fail_after(10):
            while old.idle:
                await anyio.sleep(0.01)
        await app.service.reload_tls("partner")
        assert (await call(app, "GET", "/stall")).status == 200  # a new pool, a new connection
    assert statuses == [200] and resolver.calls == 2
    assert old.retired and old.idle == 0  # the slow call's connection closed when it ended


ORDER = b'{"id": "d1", "amount": 1, "currency": "EUR"}'
KEPT_ALIVE = (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
              + str(len(ORDER)).encode() + b"\r\n\r\n" + ORDER)


class RawPartner:
    """A raw TLS partner: the n-th request gets ``script[n]`` and then the connection is closed (``b""``:
    closed without a byte of answer, a keep-alive connection dying); after the script, a kept-alive order."""

    def __init__(self, *script: bytes) -> None:
        self.script = list(script)
        self.requests = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                await reader.readexactly(length)
                self.requests += 1
                if self.script:
                    writer.write(self.script.pop(0))
                    await writer.drain()
                    return
                writer.write(KEPT_ALIVE)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def raw_partner(pki: Pki, partner: RawPartner) -> AsyncIterator[int]:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(pki.server_cert, pki.server_key)
    server = await asyncio.start_server(partner.handle, "127.0.0.1", 0, ssl=ctx)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize(("method", "sent", "status"), [("GET", 2, 200), ("POST", 1, 502)])
async def test_connection_dying_under_a_call_is_retried_only_when_idempotent(
    pki: Pki, store: SecretStore, apps: Apps, method: str, sent: int, status: int
) -> None:
    dropping = RawPartner(b"")
    audit = AuditList()
    async with raw_partner(pki, dropping) as port:
        app = await apps(pki, port, store, audit=audit, credential={"kind": "none"})
        resp = await call(app, method, "/orders/1", body=b"{}" if method == "POST" else b"",
                          headers=(("content-type", "application/json"),))
        await apps.aclose()
    assert resp.status == status and dropping.requests == sent
    assert app.service.partners["partner"].client.retries == sent - 1
    if method == "POST":
        assert audit[-1]["outcome"] == "partner-unreachable" and "closed the connection" in audit[-1]["reason"]


async def test_body_delimited_by_the_end_of_the_connection_is_accepted(
    pki: Pki, store: SecretStore, apps: Apps
) -> None:
    raw = RawPartner(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n" + ORDER)
    async with raw_partner(pki, raw) as port:
        app = await apps(pki, port, store, credential={"kind": "none"})
        resp = await call(app, "GET", "/orders/1")
        again = await call(app, "GET", "/orders/2")  # that connection is not reused: a new one answers
        await apps.aclose()
    assert resp.status == 200 and orjson.loads(resp.body) == orjson.loads(ORDER)
    assert again.status == 200 and raw.requests == 2


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n" + ORDER,
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    + f"{len(ORDER):x}".encode() + b"\r\n" + ORDER + b"\r\n",
])
async def test_body_cut_short_by_the_connection_end_is_refused(
    pki: Pki, store: SecretStore, apps: Apps, answer: bytes
) -> None:
    raw = RawPartner(answer, answer)  # the GET is tried twice, and cut short twice
    audit = AuditList()
    async with raw_partner(pki, raw) as port:
        app = await apps(pki, port, store, audit=audit, credential={"kind": "none"})
        resp = await call(app, "GET", "/orders/1")
        await apps.aclose()
    assert resp.status == 502 and raw.requests == 2
    assert audit[-1]["outcome"] == "partner-unreachable" and "closed the connection" in audit[-1]["reason"]


@pytest.mark.parametrize(("padding", "status"), [(10_000, 200), (20_000, 502)])
async def test_response_head_is_limited(pki: Pki, store: SecretStore, apps: Apps, padding: int, status: int) -> None:
    """16 KiB of status line and headers at most (h11's limit): a partner cannot grow our memory with them."""
    answer = (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-padding: " + b"p" * padding
              + b"\r\ncontent-length: " + str(len(ORDER)).encode() + b"\r\n\r\n" + ORDER)
    raw = RawPartner(answer, answer)
    audit = AuditList()
    async with raw_partner(pki, raw) as port:
        app = await apps(pki, port, store, audit=audit, credential={"kind": "none"})
        resp = await call(app, "GET", "/orders/1")
        await apps.aclose()
    assert resp.status == status
    if status == 502:
        assert raw.requests == 2 and "response head larger than 16384 bytes" in audit[-1]["reason"]


async def test_unterminated_header_line_is_cut_at_the_head_limit(pki: Pki, store: SecretStore, apps: Apps) -> None:
    endless = b"HTTP/1.1 200 OK\r\nx-padding: " + b"p" * 40_000  # the line never ends: the parser keeps it
    raw = RawPartner(endless, endless)
    audit = AuditList()
    async with raw_partner(pki, raw) as port:
        app = await apps(pki, port, store, audit=audit, credential={"kind": "none"})
        resp = await call(app, "GET", "/orders/1")
        await apps.aclose()
    assert resp.status == 502 and "response head larger than 16384 bytes" in audit[-1]["reason"]
