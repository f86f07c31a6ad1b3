"""Integration: cors, ip_filter, methods, rate_limit and validate in a real gateway on loopback.

A real ``bastion serve`` (on a loop thread, port 0) in front of a recording upstream: what is refused
never reaches the upstream, and what is forwarded is byte for byte what was validated.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream

pytestmark = pytest.mark.integration

SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "specs" / "validate" / "orders.yaml"
APP = "https://app.example.com"
CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
openapi:
  orders: "{spec}"
upstreams:
  up: {{url: "http://127.0.0.1:{port}"}}
routes:
  - id: orders
    match: {{prefix: /v1/}}
    upstream: up
    public: true
    policies:
      - cors: {{origins: ["{app}"], methods: [GET, POST], headers: [content-type, x-request-id]}}
      - rate_limit: {{key: ip, rate: 4/minute}}
      - validate: {{openapi: orders}}
  - id: internal
    match: {{prefix: /internal/}}
    upstream: up
    public: true
    policies:
      - ip_filter: {{allow: [10.0.0.0/8]}}
  - id: readonly
    match: {{prefix: /static/}}
    upstream: up
    public: true
    policies:
      - methods: {{allow: [GET]}}
"""
ORDER = {"items": [{"sku": "A-1", "qty": 2}], "total": {"amount": 12.5, "currency": "EUR"}}


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
def client(lt: LoopThread, upstream: RecordingUpstream, tmp_path: Path) -> Iterator[httpx.Client]:
    gw = GatewayThread(lt, tmp_path, CONFIG.format(spec=SPEC, port=upstream.port, app=APP)).start()
    with httpx.Client(base_url=f"http://127.0.0.1:{gw.port}", timeout=30.0) as c:
        yield c
    gw.stop()


def test_valid_body_is_forwarded_byte_for_byte(client: httpx.Client, upstream: RecordingUpstream) -> None:
    body = b'{ "items" : [ {"sku":"A-1","qty":2} ],\n "total": {"amount": 12.50, "currency": "EUR"} }'
    resp = client.post("/v1/orders", content=body, headers={"content-type": "application/json"})
    assert resp.status_code == 200, resp.text
    assert upstream.requests[-1].body == body
    assert resp.headers["ratelimit-policy"] == '"rate0";q=4;w=60'
    assert resp.headers["ratelimit"].startswith('"rate0";r=3;')


def test_mass_assignment_is_refused_before_the_upstream(client: httpx.Client, upstream: RecordingUpstream) -> None:
    resp = client.post("/v1/orders", content=orjson.dumps({**ORDER, "is_admin": True}),
                       headers={"content-type": "application/json"})
    assert resp.status_code == 422
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["errors"] == [{"pointer": "/is_admin", "detail": "undeclared property", "in": "body"}]
    assert upstream.requests == []


@pytest.mark.parametrize("depth", [300, 1000])
def test_deeply_nested_body_is_a_400_not_a_500(client: httpx.Client, upstream: RecordingUpstream, depth: int) -> None:
    """orjson reads 1,024 levels but writes 254; the strict parse writes the document again, so this was a 500."""
    body = b'{"note":' + b"[" * depth + b"]" * depth + b"}"
    resp = client.post("/v1/orders", content=body, headers={"content-type": "application/json"})
    assert resp.status_code == 400
    assert resp.json()["errors"] == [{"pointer": "", "detail": "JSON nesting deeper than 64", "in": "body"}]
    assert upstream.requests == []


def test_shadow_endpoint_is_not_forwarded(client: httpx.Client, upstream: RecordingUpstream) -> None:
    assert client.get("/v1/admin/users").status_code == 404
    resp = client.delete("/v1/orders/1")
    assert resp.status_code == 405 and resp.headers["allow"] == "GET, HEAD, PATCH"
    assert upstream.requests == []


def test_preflight_is_answered_by_the_gateway(client: httpx.Client, upstream: RecordingUpstream) -> None:
    resp = client.options("/v1/orders", headers={"origin": APP, "access-control-request-method": "POST",
                                                 "access-control-request-headers": "content-type"})
    assert resp.status_code == 204 and resp.content == b""
    assert resp.headers["access-control-allow-origin"] == APP
    assert resp.headers["access-control-allow-methods"] == "GET, POST"
    evil = client.options("/v1/orders", headers={"origin": "https://evil.example",
                                                 "access-control-request-method": "POST"})
    assert evil.status_code == 403 and "access-control-allow-origin" not in evil.headers
    assert upstream.requests == []


def test_rate_limit_429_with_retry_after(client: httpx.Client, upstream: RecordingUpstream) -> None:
    codes = [client.get("/v1/orders/7").status_code for _ in range(6)]
    assert codes == [200] * 4 + [429] * 2
    resp = client.get("/v1/orders/7")
    assert resp.status_code == 429 and int(resp.headers["retry-after"]) >= 1
    assert resp.json()["type"].endswith("/rate-limited")
    assert len(upstream.requests) == 4


def test_ip_filter_and_methods(client: httpx.Client, upstream: RecordingUpstream) -> None:
    assert client.get("/internal/metrics").status_code == 403
    resp = client.post("/static/logo", content=b"x")
    assert resp.status_code == 405 and resp.headers["allow"] == "GET, HEAD"
    assert client.get("/static/logo").status_code == 200
    assert [r.path for r in upstream.requests] == ["/static/logo"]
