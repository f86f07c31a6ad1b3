"""Integration: upstream health and verified-token cache lookups on the admin listener's /metrics, read
from the live configuration of a real gateway (built-in issuer, a real upstream and a dead one)."""

from __future__ import annotations

import base64
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest

from bastion.clock import SYSTEM_CLOCK
from bastion.oauth.config import AuthServerSection
from bastion.oauth.grants import Grants
from bastion.oauth.services import open_components
from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream
from bastion.tokens.revocation import MemoryRevocationList

pytestmark = pytest.mark.integration

ADMIN = "runtime-metrics-admin-token-0123456789"
CONFIG = """\
listeners:
  - {{address: "127.0.0.1:0", plaintext: true}}
admin: {{address: "127.0.0.1:0", token: "${{env:T_RT_ADMIN}}"}}
oauth:
  issuer: https://metrics.example.test
  database: sqlite:{dir}/auth.db
  master_key: ${{file:{dir}/master.key}}
issuers:
  local: {{builtin: true, audiences: [api]}}
upstreams:
  app: {{url: "http://127.0.0.1:{up}"}}
  dead: {{url: "http://127.0.0.1:{dead}", retries: 0, circuit_breaker: {{failures: 2, cooldown: 60s}}}}
routes:
  - id: orders
    match: {{prefix: /orders/}}
    upstream: app
    policies:
      - jwt: {{issuer: local, scopes: ["orders:read"]}}
  - id: gone
    match: {{prefix: /gone/}}
    upstream: dead
    public: true
"""


def _token(folder: Path) -> str:
    section = AuthServerSection(issuer="https://metrics.example.test", database=f"sqlite:{folder}/auth.db",
                                master_key=f"${{file:{folder}/master.key}}")

    async def run() -> str:
        parts = open_components(section, SYSTEM_CLOCK, folder)
        try:
            await parts.registry.create("shop", {"orders:read"})
            client = await parts.store.get_client("shop")
            assert client is not None
            grants = Grants(section.issuer, parts.keyring, MemoryRevocationList(SYSTEM_CLOCK), SYSTEM_CLOCK,
                            section.token_ttl, section.audience)
            token, _ = await grants.issue(client, {"orders:read"})
            return token
        finally:
            await parts.store.close()

    return anyio.run(run)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[GatewayThread, str]]:
    monkeypatch.setenv("T_RT_ADMIN", ADMIN)
    (tmp_path / "master.key").write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    lt = LoopThread()
    upstream = RecordingUpstream(lt).start()
    gw = GatewayThread(lt, tmp_path, CONFIG.format(dir=tmp_path, up=upstream.port, dead=_closed_port()))
    gw.start()
    try:
        yield gw, _token(tmp_path)
    finally:
        gw.stop()
        upstream.stop()
        lt.stop()


def _metrics(gw: GatewayThread) -> str:
    admin = gw.server.admin_bound
    assert admin is not None
    resp = httpx.get(f"http://127.0.0.1:{admin[1]}/metrics", headers={"authorization": f"Bearer {ADMIN}"}, timeout=10)
    assert resp.status_code == 200
    return resp.text


def test_token_cache_lookups_and_hit_ratio_on_metrics(gateway: tuple[GatewayThread, str]) -> None:
    gw, token = gateway
    base = f"http://127.0.0.1:{gw.port}"
    for _ in range(4):
        assert httpx.get(base + "/orders/1", headers={"authorization": f"Bearer {token}"}).status_code == 200
    text = _metrics(gw)
    assert 'bastion_token_cache_lookups_total{policy="jwt",result="miss",route="orders"} 1.0' in text
    assert 'bastion_token_cache_lookups_total{policy="jwt",result="hit",route="orders"} 3.0' in text
    assert 'bastion_token_cache_hit_ratio{policy="jwt",route="orders"} 0.75' in text
    assert token not in text


def test_upstream_health_follows_the_circuit_breaker(gateway: tuple[GatewayThread, str]) -> None:
    gw, _ = gateway
    base = f"http://127.0.0.1:{gw.port}"
    text = _metrics(gw)
    assert 'bastion_upstream_up{upstream="dead"} 1.0' in text and 'bastion_upstream_up{upstream="app"} 1.0' in text
    for _ in range(2):
        assert httpx.get(base + "/gone/x").status_code in (502, 503)
    text = _metrics(gw)
    assert 'bastion_upstream_up{upstream="dead"} 0.0' in text
    assert 'bastion_upstream_consecutive_failures{upstream="dead"} 2.0' in text
    assert 'bastion_upstream_up{upstream="app"} 1.0' in text
