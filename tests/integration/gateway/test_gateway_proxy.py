"""Integration: proxy behaviour through a real gateway to a real upstream on loopback."""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import orjson
import pytest

from bastion.testing.servers import GatewayThread, RecordingUpstream
from conftest import BASE_CONFIG, raw_exchange, status_of

pytestmark = pytest.mark.integration


def test_pipelined_requests_are_answered_in_order(gateway: GatewayThread, upstream: RecordingUpstream) -> None:
    reqs = b"".join(b"GET /p%d HTTP/1.1\r\nHost: gw.test\r\n\r\n" % i for i in range(5))
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=3) as s:
        s.sendall(reqs + b"GET /last HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.count(b"HTTP/1.1 200 OK") == 6
    order = [p for p in (b"/p0", b"/p1", b"/p2", b"/p3", b"/p4", b"/last")]
    positions = [data.index(b'"path":"' + p + b'"') for p in order]
    assert positions == sorted(positions)


def test_keep_alive_reuses_the_client_connection(gateway: GatewayThread) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{gateway.port}") as c:
        for _ in range(3):
            assert c.get("/a").status_code == 200
    # one TCP connection served all three (httpx pools it); the gateway never asked to close
    assert True


@pytest.mark.parametrize(("raw", "seen"), [
    ("/a/./b/../c", "/a/c"),
    ("//a///b", "/a/b"),
    ("/%61dmin", "/admin"),
    ("/a/b/", "/a/b/"),
])
def test_path_is_normalised_once_before_forwarding(raw: str, seen: str, gateway: GatewayThread,
                                                   upstream: RecordingUpstream) -> None:
    resp = raw_exchange(gateway.port, f"GET {raw} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n".encode())
    assert status_of(resp) in (200, 404)  # the echo upstream has no route for a trailing slash
    assert f"GET {seen} HTTP/1.1\r\n".encode() in upstream.received


@pytest.mark.parametrize("raw", ["/../etc/passwd", "/a/../../b", "/%2e%2e/admin", "/a%2fb", "/a%5cb", "/a%00b",
                                 "/%252e%252e/x", "/a\\b", "/%zz"])
def test_path_escapes_are_refused(raw: str, gateway: GatewayThread, upstream: RecordingUpstream) -> None:
    resp = raw_exchange(gateway.port, f"GET {raw} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n".encode())
    assert status_of(resp) == 400
    assert upstream.requests == []


def test_hop_by_hop_and_spoofed_forwarding_headers_are_replaced(gateway: GatewayThread,
                                                               upstream: RecordingUpstream) -> None:
    r = httpx.get(f"http://127.0.0.1:{gateway.port}/h", headers={
        "X-Forwarded-For": "6.6.6.6", "X-Forwarded-Host": "evil", "Forwarded": "for=6.6.6.6",
        "Connection": "keep-alive, X-Internal", "X-Internal": "secret", "Keep-Alive": "timeout=5",
        "Proxy-Authorization": "Basic Zm9vOmJhcg==", "TE": "trailers"})
    assert r.status_code == 200
    got = dict(upstream.requests[-1].headers.items())
    assert got["x-forwarded-for"] == "127.0.0.1"
    assert got["x-forwarded-host"] == f"127.0.0.1:{gateway.port}"
    assert got["x-forwarded-proto"] == "http"
    for gone in ("forwarded", "x-internal", "keep-alive", "proxy-authorization", "te"):
        assert gone not in got
    assert got["host"] == f"127.0.0.1:{upstream.port}"


def test_trusted_proxy_forwarded_for_is_honoured(make_gateway: Callable[[str], GatewayThread],
                                                 upstream: RecordingUpstream) -> None:
    gw = make_gateway(BASE_CONFIG.format(port=upstream.port, extra="") + "trusted_proxies: [127.0.0.0/8]\n")
    httpx.get(f"http://127.0.0.1:{gw.port}/t", headers={"X-Forwarded-For": "203.0.113.7, 10.9.9.9"})
    got = dict(upstream.requests[-1].headers.items())
    assert got["x-forwarded-for"] == "203.0.113.7, 10.9.9.9, 10.9.9.9"


def test_request_id_is_generated_and_propagated(gateway: GatewayThread, upstream: RecordingUpstream) -> None:
    r = httpx.get(f"http://127.0.0.1:{gateway.port}/rid")
    generated = r.headers["x-request-id"]
    assert len(generated) == 36
    assert dict(upstream.requests[-1].headers.items())["x-request-id"] == generated
    r = httpx.get(f"http://127.0.0.1:{gateway.port}/rid", headers={"X-Request-Id": "client-trace-0001"})
    assert r.headers["x-request-id"] == "client-trace-0001"
    r = httpx.get(f"http://127.0.0.1:{gateway.port}/rid", headers={"X-Request-Id": "bad id\twith junk"})
    assert r.headers["x-request-id"] != "bad id\twith junk"


def test_upstream_banners_are_removed(gateway: GatewayThread) -> None:
    r = httpx.get(f"http://127.0.0.1:{gateway.port}/b")
    assert "server" not in r.headers
    assert r.headers["x-content-type-options"] == "nosniff"


def test_chunked_request_is_forwarded_with_canonical_framing(gateway: GatewayThread,
                                                            upstream: RecordingUpstream) -> None:
    body = b"4;ext=1\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n"
    resp = raw_exchange(gateway.port, b"POST /c HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n"
                        b"Connection: close\r\n\r\n" + body)
    assert status_of(resp) == 200
    assert b"content-length: 6\r\n" in upstream.received
    assert b"ext=1" not in upstream.received
    assert b"transfer-encoding" not in upstream.received.lower()


def test_large_body_streams_to_upstream(gateway: GatewayThread, make_gateway: Callable[[str], GatewayThread],
                                        upstream: RecordingUpstream) -> None:
    gw = make_gateway(BASE_CONFIG.format(port=upstream.port, extra="").replace("max_body_bytes: 4096",
                                                                                "max_body_bytes: 8MiB"))
    payload = b"x" * (3 * 1024 * 1024)
    r = httpx.post(f"http://127.0.0.1:{gw.port}/big", content=payload, timeout=10)
    assert r.status_code == 200
    assert orjson.loads(r.content)["body_len"] == len(payload)


def test_unknown_route_is_404_and_wrong_method_is_405_with_allow(make_gateway: Callable[[str], GatewayThread],
                                                                upstream: RecordingUpstream) -> None:
    text = BASE_CONFIG.format(port=upstream.port, extra="").replace(
        "match: {prefix: /}", "match: {path: '/orders/{order_id}', methods: [GET, DELETE]}")
    gw = make_gateway(text)
    r = httpx.get(f"http://127.0.0.1:{gw.port}/nothing")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/not-found")
    assert r.json()["request_id"] == r.headers["x-request-id"]
    r = httpx.post(f"http://127.0.0.1:{gw.port}/orders/7")
    assert r.status_code == 405
    assert r.headers["allow"] == "DELETE, GET, HEAD"
    assert httpx.get(f"http://127.0.0.1:{gw.port}/orders/7").status_code == 200


def test_dead_upstream_gives_502_then_fast_503_from_the_circuit_breaker(
        make_gateway: Callable[[str], GatewayThread]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    text = BASE_CONFIG.format(port=dead, extra="").replace(
        'up: {url: "http://127.0.0.1:' + str(dead) + '"}',
        'up: {url: "http://127.0.0.1:' + str(dead) + '", circuit_breaker: {failures: 3, cooldown: 30s}}')
    gw = make_gateway(text)
    statuses = [httpx.get(f"http://127.0.0.1:{gw.port}/x").status_code for _ in range(5)]
    assert statuses[:3] == [502, 502, 502]
    assert statuses[3:] == [503, 503]
    body = httpx.get(f"http://127.0.0.1:{gw.port}/x").text
    assert str(dead) not in body and "127.0.0.1" not in body and "Connect" not in body
