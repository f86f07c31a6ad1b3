"""Integration: bastion as an explicit forward proxy, on real loopback sockets with real TLS.

One gateway per module with three listeners: a plain-HTTP forward proxy, a TLS forward proxy that
accepts client certificates, and an ordinary listener (which must keep refusing absolute-form targets
and CONNECT). Callers authenticate with API keys (``Proxy-Authorization``) or their certificate. The
fake partner serves TLS on 127.0.0.1 under the name partner.test; a counting TCP listener stands in for
destinations that must never be dialled.
"""

from __future__ import annotations

import base64
import secrets
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import orjson
import pytest
from egress_fakes import ORDER_SCHEMA, AuditList, FakePartner, Pki, make_pki, serve

from bastion.clock import SYSTEM_CLOCK
from bastion.oauth.config import AuthServerSection
from bastion.oauth.services import open_components
from bastion.testing.servers import GatewayThread, LoopThread

pytestmark = pytest.mark.integration

CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
    forward_proxy: true
  - address: 127.0.0.1:0
    tls: {{cert: {pki}/srv.pem, key: {pki}/srv-key.pem, client_ca: {pki}/ca.pem, client_auth: optional}}
    forward_proxy: true
  - address: 127.0.0.1:0
    plaintext: true
limits: {{header_timeout: 2s}}
audit: {{enabled: false}}
oauth:
  database: sqlite:auth.db
  master_key: ${{file:master.key}}
  api_keys: {{hmac_secret: "${{file:apikeys.secret}}"}}
egress:
  forward_proxy:
    authenticate: [{{api_key: {{}}}}, {{mtls: {{ca: {pki}/ca.pem}}}}]
    tunnel: {{idle_timeout: 700ms, max_duration: 30s}}
  partners:
    partner:
      url: https://partner.test:{port}/api
      callers: [orders-svc, bastion-egress]
      addresses: {{partner.test: [127.0.0.1]}}
      allow_networks: [127.0.0.1/32]
      credential: {{kind: api_key, value: "${{env:T_FP_PARTNER_KEY}}"}}
      tls: {{ca: {pki}/ca.pem}}
      response: {{schema: {schema}}}
      connect: passthrough
    internal:
      url: https://internal.test:{sink}
      callers: [orders-svc]
      addresses: {{internal.test: [127.0.0.1]}}
      connect: passthrough
    closed:
      url: https://closed.test:{sink}
      callers: [orders-svc]
      addresses: {{closed.test: [127.0.0.1]}}
      allow_networks: [127.0.0.1/32]
routes: []
"""
AUTH = AuthServerSection(database="sqlite:auth.db", master_key="${file:master.key}",
                         api_keys={"hmac_secret": "${file:apikeys.secret}"})  # type: ignore[arg-type]


class CountingListener:
    """A TCP listener that only counts the connections it accepts (destinations bastion must not dial)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()


@dataclass
class Stack:
    gw: GatewayThread
    pki: Pki
    partner: FakePartner
    port: int
    sink: CountingListener
    key: str
    """API key of orders-svc (in the partner's callers)."""
    outsider: str
    """API key of billing-svc (a valid caller, in no partner's callers)."""
    audit: AuditList
    folder: Path

    def listener(self, i: int) -> int:
        return int(self.gw.server.bound[i][1])

    @property
    def proxy(self) -> int:
        return self.listener(0)

    def records(self, event: str) -> list[dict[str, Any]]:
        return [r for r in self.audit if r["event"] == event]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("fwd")
    pki = make_pki(tmp_path_factory.mktemp("pki"))
    (folder / "master.key").write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    (folder / "apikeys.secret").write_text(secrets.token_urlsafe(48))

    async def keys() -> tuple[str, str]:
        parts = open_components(AUTH, SYSTEM_CLOCK, folder)
        try:
            assert parts.api_keys is not None
            return (await parts.api_keys.create("orders-svc", set()))[0], \
                (await parts.api_keys.create("billing-svc", set()))[0]
        finally:
            await parts.store.close()

    key, outsider = anyio.run(keys)
    partner = FakePartner(api_keys={"partner-key"})
    sink = CountingListener()
    mp = pytest.MonkeyPatch()
    mp.setenv("T_FP_PARTNER_KEY", "partner-key")
    lt = LoopThread()
    with serve(partner.app(), pki) as port:
        text = CONFIG.format(pki=pki.dir, port=port, sink=sink.port, schema=orjson.dumps(ORDER_SCHEMA).decode())
        gw = GatewayThread(lt, folder, text).start()
        audit = AuditList()
        services = gw.server.services
        assert services is not None
        services.mapping["forward_proxy"].audit = audit
        services.mapping["egress"].audit = audit
        try:
            yield Stack(gw, pki, partner, port, sink, key, outsider, audit, folder)
        finally:
            gw.stop()
            lt.stop()
            sink.sock.close()
            mp.undo()


def exchange(port: int, data: bytes, *, wrap: ssl.SSLContext | None = None, until_close: bool = True) -> bytes:
    """Send raw bytes to a listener; read until it closes (or the answer's head and body are in)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
            (wrap.wrap_socket(raw) if wrap is not None else raw) as s:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ssl.SSLError, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
            if not until_close and _complete(out):
                break
        return out


def _complete(data: bytes) -> bool:
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return True


def status(data: bytes) -> int:
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.") else 0


def bearer(key: str) -> bytes:
    return f"Proxy-Authorization: Bearer {key}\r\n".encode()


def absolute(url: str, *extra: bytes) -> bytes:
    host = url.split("/")[2].encode()
    return b"GET " + url.encode() + b" HTTP/1.1\r\nHost: " + host + b"\r\n" + b"".join(extra) + b"\r\n"


def connect(target: str, *extra: bytes) -> bytes:
    return f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n".encode() + b"".join(extra) + b"\r\n"


def wait_for(predicate: Any, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


# ---------------------------------------------------------------------------- absolute-form


def test_absolute_form_request_is_an_egress_call_with_injected_credential(stack: Stack) -> None:
    url = f"http://partner.test:{stack.port}/api/orders/7"
    proxy = f"http://orders-svc:{stack.key}@127.0.0.1:{stack.proxy}"  # Basic, as HTTP_PROXY URLs do
    with httpx.Client(proxy=proxy, timeout=10) as client:
        resp = client.get(url, headers={"x-api-key": "callers-own", "authorization": "Bearer callers-own"})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"id": "7", "amount": 1250, "currency": "EUR"}  # validated: undeclared fields gone
    seen = stack.partner.seen_headers[-1]
    assert seen["x-api-key"] == "partner-key" and "authorization" not in seen
    assert "proxy-authorization" not in seen
    call = stack.records("egress.call")[-1]
    assert call["caller"] == "orders-svc" and call["partner"] == "partner" and call["operation"] == "GET /orders/7"


def test_proxy_authorization_bearer_is_accepted(stack: Stack) -> None:
    resp = exchange(stack.proxy, absolute(f"http://partner.test:{stack.port}/api/orders/8", bearer(stack.key)),
                    until_close=False)
    assert status(resp) == 200, resp
    assert b'"id":"8"' in resp


@pytest.mark.parametrize("credential", [None, b"Proxy-Authorization: Bearer bst_not-a-key\r\n",
                                        b"Proxy-Authorization: Digest username=x\r\n",
                                        b"Authorization: Bearer {key}\r\n"])
def test_missing_or_bad_proxy_credentials_get_407(stack: Stack, credential: bytes | None) -> None:
    before = len(stack.partner.seen_headers)
    extra = [credential.replace(b"{key}", stack.key.encode())] if credential else []
    for request in (absolute(f"http://partner.test:{stack.port}/api/orders/1", *extra),
                    connect(f"partner.test:{stack.port}", *extra)):
        resp = exchange(stack.proxy, request, until_close=False)
        assert status(resp) == 407, resp
        assert b'proxy-authenticate: Bearer realm="bastion"' in resp
        assert b"application/problem+json" in resp
    assert len(stack.partner.seen_headers) == before


def test_caller_not_in_partner_callers_gets_403(stack: Stack) -> None:
    before = len(stack.partner.seen_headers)
    resp = exchange(stack.proxy, absolute(f"http://partner.test:{stack.port}/api/orders/1", bearer(stack.outsider)),
                    until_close=False)
    assert status(resp) == 403, resp
    resp = exchange(stack.proxy, connect(f"partner.test:{stack.port}", bearer(stack.outsider)))
    assert status(resp) == 403, resp
    assert len(stack.partner.seen_headers) == before
    refused = stack.records("egress.tunnel")[-1]
    assert refused["caller"] == "billing-svc" and refused["status"] == 403
    assert refused["reason"] == "caller not in the partner's callers"


@pytest.mark.parametrize("request_line", [
    "absolute:http://127.0.0.1:{sink}/x",
    "absolute:http://unknown.test:{sink}/x",
    "absolute:http://partner.test:{sink}/api/orders/1",  # a partner's host, another port
    "absolute:http://partner.test:{port}/elsewhere",  # a partner's host, outside its base path
    "connect:127.0.0.1:{sink}",
    "connect:unknown.test:{sink}",
    "connect:169.254.169.254:80",
    "connect:closed.test:{sink}",  # allow-listed, but that partner does not allow CONNECT
    "connect:internal.test:{sink}",  # allow-listed, resolves to loopback, which that partner does not allow
])
def test_destinations_outside_the_rules_are_refused_without_a_connection(stack: Stack, request_line: str) -> None:
    kind, _, target = request_line.format(sink=stack.sink.port, port=stack.port).partition(":")
    before, dialled = len(stack.partner.seen_headers), stack.sink.accepted
    data = absolute(target, bearer(stack.key)) if kind == "absolute" else connect(target, bearer(stack.key))
    resp = exchange(stack.proxy, data, until_close=False)
    assert status(resp) == 403, resp
    assert b"unknown.test" not in resp and b"127.0.0.1" not in resp  # no enumeration, no internals
    assert stack.sink.accepted == dialled and len(stack.partner.seen_headers) == before


def test_absolute_form_to_partner_on_a_private_address_is_not_dialled(stack: Stack) -> None:
    dialled = stack.sink.accepted
    resp = exchange(stack.proxy, absolute(f"http://internal.test:{stack.sink.port}/x", bearer(stack.key)),
                    until_close=False)
    assert status(resp) == 502, resp  # the egress service's answer: the address rule refused it
    assert stack.sink.accepted == dialled
    assert stack.records("egress.call")[-1]["outcome"] == "destination-refused"


@pytest.mark.parametrize("target", ["/x", "partner.test", "user:pw@partner.test:443", "[fe80::1%25eth0]:443",
                                    "partner.test:0", "partner.test:443/x", "0x7f.1:443"])
def test_malformed_connect_targets_get_400(stack: Stack, target: str) -> None:
    dialled = stack.sink.accepted
    resp = exchange(stack.proxy, f"CONNECT {target} HTTP/1.1\r\nHost: partner.test\r\n".encode() + bearer(stack.key)
                    + b"\r\n")
    assert status(resp) == 400, resp
    assert stack.sink.accepted == dialled


def test_connect_with_content_gets_400(stack: Stack) -> None:
    resp = exchange(stack.proxy, connect(f"partner.test:{stack.port}", bearer(stack.key),
                                         b"Content-Length: 5\r\n")[:-2] + b"\r\nhello")
    assert status(resp) == 400, resp


@pytest.mark.parametrize("target", ["http://user:pw@partner.test/api/orders/1", "http://partner.test/api/x#frag",
                                    "ftp://partner.test/api/orders/1", "http://partner.test/api/../admin"])
def test_malformed_absolute_targets_get_400(stack: Stack, target: str) -> None:
    resp = exchange(stack.proxy, absolute(target, bearer(stack.key)), until_close=False)
    assert status(resp) == 400, resp


def test_origin_form_on_the_proxy_listener_gets_400(stack: Stack) -> None:
    resp = exchange(stack.proxy, b"GET /api/orders/1 HTTP/1.1\r\nHost: partner.test\r\n" + bearer(stack.key) + b"\r\n",
                    until_close=False)
    assert status(resp) == 400 and b"forward proxy" in resp


def test_ordinary_listener_still_refuses_absolute_form(stack: Stack) -> None:
    resp = exchange(stack.listener(2), absolute(f"http://partner.test:{stack.port}/api/orders/1", bearer(stack.key)))
    assert status(resp) == 400 and b"origin-form" in resp and b"connection: close" in resp


def test_ordinary_listener_still_refuses_connect(stack: Stack) -> None:
    dialled = stack.sink.accepted
    resp = exchange(stack.listener(2), connect(f"partner.test:{stack.port}", bearer(stack.key)))
    assert status(resp) == 405 and b"connection: close" in resp
    assert stack.sink.accepted == dialled


# ---------------------------------------------------------------------------- CONNECT tunnels


def test_connect_tunnels_tls_end_to_end_to_an_allowed_partner(stack: Stack) -> None:
    ctx = ssl.create_default_context(cafile=str(stack.pki.ca))  # the partner's own certificate, end to end
    proxy = httpx.Proxy(f"http://127.0.0.1:{stack.proxy}", headers={"proxy-authorization": f"Bearer {stack.key}"})
    with httpx.Client(proxy=proxy, verify=ctx, timeout=10) as client:
        resp = client.get(f"https://partner.test:{stack.port}/api/orders/9", headers={"x-api-key": "partner-key"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["id"] == "9" and "internal_debug" in body  # passthrough: nothing validated or removed
    assert stack.partner.seen_headers[-1]["x-api-key"] == "partner-key"  # the caller's own credential
    wait_for(lambda: any(r["outcome"] == "ok" for r in stack.records("egress.tunnel")))
    tunnel = [r for r in stack.records("egress.tunnel") if r["outcome"] == "ok"][-1]
    assert tunnel["caller"] == "orders-svc" and tunnel["partner"] == "partner"
    assert tunnel["target"] == f"partner.test:{stack.port}" and tunnel["address"] == "127.0.0.1"
    assert tunnel["bytes_up"] > 200 and tunnel["bytes_down"] > 500 and tunnel["duration_ms"] > 0
    assert tunnel["reason"] == "client-closed"


def test_idle_tunnel_is_closed(stack: Stack) -> None:
    started = len(stack.records("egress.tunnel"))
    with socket.create_connection(("127.0.0.1", stack.proxy), timeout=10) as s:
        s.sendall(connect(f"partner.test:{stack.port}", bearer(stack.key)))
        assert s.recv(1024) == b"HTTP/1.1 200 Connection established\r\n\r\n"
        assert s.recv(1024) == b""  # nothing sent either way: bastion closes after idle_timeout (700 ms)
    wait_for(lambda: len(stack.records("egress.tunnel")) > started)
    assert stack.records("egress.tunnel")[-1]["reason"] == "idle-timeout"


def test_client_certificate_authenticates_on_the_tls_proxy_listener(stack: Stack) -> None:
    ctx = ssl.create_default_context(cafile=str(stack.pki.ca))
    ctx.check_hostname = False  # the listener's certificate names partner.test; we dial 127.0.0.1
    key = stack.folder / "caller-key.pem"
    key.write_text(stack.pki.client_key_pem)
    ctx.load_cert_chain(str(stack.pki.client_cert), str(key))
    resp = exchange(stack.listener(1), absolute(f"http://partner.test:{stack.port}/api/orders/3"), wrap=ctx,
                    until_close=False)
    assert status(resp) == 200, resp
    assert stack.records("egress.call")[-1]["caller"] == "bastion-egress"
    anonymous = ssl.create_default_context(cafile=str(stack.pki.ca))
    anonymous.check_hostname = False
    resp = exchange(stack.listener(1), absolute(f"http://partner.test:{stack.port}/api/orders/3"), wrap=anonymous,
                    until_close=False)
    assert status(resp) == 407, resp


def test_connect_over_the_tls_listener_tunnels_tls_inside_tls(stack: Stack) -> None:
    to_proxy = ssl.create_default_context(cafile=str(stack.pki.ca))
    to_proxy.check_hostname = False
    key = stack.folder / "caller-key.pem"
    key.write_text(stack.pki.client_key_pem)
    to_proxy.load_cert_chain(str(stack.pki.client_cert), str(key))  # authenticates: no Proxy-Authorization
    to_partner = ssl.create_default_context(cafile=str(stack.pki.ca))
    proxy = httpx.Proxy(f"https://127.0.0.1:{stack.listener(1)}", ssl_context=to_proxy)
    with httpx.Client(proxy=proxy, verify=to_partner, timeout=10) as client:
        resp = client.get(f"https://partner.test:{stack.port}/api/orders/11", headers={"x-api-key": "partner-key"})
    assert resp.status_code == 200 and resp.json()["id"] == "11"
    wait_for(lambda: any(r["caller"] == "bastion-egress" and r["outcome"] == "ok"
                         for r in stack.records("egress.tunnel")))


def test_connect_pipelined_behind_a_request_is_answered_in_order(stack: Stack) -> None:
    data = absolute(f"http://partner.test:{stack.port}/api/orders/12", bearer(stack.key)) + \
        connect(f"partner.test:{stack.port}", bearer(stack.key))
    with socket.create_connection(("127.0.0.1", stack.proxy), timeout=10) as s:
        s.sendall(data)
        received = b""
        while b"Connection established" not in received:
            chunk = s.recv(65536)
            assert chunk, received
            received += chunk
    first, _, rest = received.partition(b"HTTP/1.1 200 Connection established\r\n\r\n")
    assert status(first) == 200 and b'"id":"12"' in first and rest == b""
