"""Integration: engine behaviour that policies rely on (preflight answers, counters across reloads)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from bastion.testing.servers import GatewayThread, RecordingUpstream
from conftest import BASE_CONFIG

pytestmark = pytest.mark.integration

CORS = """\
    policies:
      - cors: {origins: ["https://app.example"], methods: [GET, POST]}
"""


def test_preflight_is_answered_by_the_gateway_even_on_a_get_only_route(
        make_gateway: Callable[[str], GatewayThread], upstream: RecordingUpstream) -> None:
    text = BASE_CONFIG.format(port=upstream.port, extra=CORS).replace(
        "match: {prefix: /}", "match: {prefix: /, methods: [GET]}")
    gw = make_gateway(text)
    r = httpx.options(f"http://127.0.0.1:{gw.port}/items", headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "GET"})
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "https://app.example"
    assert "application/problem+json" not in r.headers.get("content-type", "")
    assert r.content == b""
    assert upstream.requests == []
    evil = httpx.options(f"http://127.0.0.1:{gw.port}/items", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert evil.status_code == 403
    assert "access-control-allow-origin" not in evil.headers


def test_rate_limit_counters_survive_a_reload(make_gateway: Callable[[str], GatewayThread],
                                              upstream: RecordingUpstream) -> None:
    limit = "    policies:\n      - rate_limit: {key: ip, rate: 3/hour, burst: 3}\n"
    text = BASE_CONFIG.format(port=upstream.port, extra=limit)
    gw = make_gateway(text)
    url = f"http://127.0.0.1:{gw.port}/x"
    assert [httpx.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert gw.reload(text.replace("max_headers: 20", "max_headers: 21"))  # same routes, new file
    r = httpx.get(url)
    assert r.status_code == 429 and "retry-after" in r.headers


def test_reload_reuses_monitoring_and_refuses_a_new_state_backend(
        make_gateway: Callable[[str], GatewayThread], upstream: RecordingUpstream,
        caplog: pytest.LogCaptureFixture) -> None:
    text = BASE_CONFIG.format(port=upstream.port, extra="")
    gw = make_gateway(text)
    services = gw.server.services
    assert services is not None
    mon = services.mapping["monitoring"]
    assert gw.reload(text.replace("max_headers: 20", "max_headers: 22"))
    assert gw.server.services is not None and gw.server.services.mapping["monitoring"] is mon
    assert not gw.reload(text + "state: redis://127.0.0.1:6379/0\n")
    assert "changing the state backend needs a restart" in caplog.text
    assert httpx.get(f"http://127.0.0.1:{gw.port}/x").status_code == 200
    kinds = [e["kind"] for e in mon.trail.recent()] if hasattr(mon.trail, "recent") else None
    if kinds is not None:
        assert kinds.count("config.reload") >= 3
