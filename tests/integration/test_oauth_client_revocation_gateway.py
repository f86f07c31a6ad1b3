"""Integration: revoking a built-in OAuth client (``bastion clients revoke``, here through another store
handle, as the CLI or another instance would) stops its unexpired tokens at the gateway within the 1 s
client-status cache, and other clients' tokens keep working."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from oauth_node import gateway_with_upstream

from bastion.clock import SYSTEM_CLOCK
from bastion.oauth.config import AuthServerSection
from bastion.oauth.services import open_components

pytestmark = pytest.mark.integration

CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
oauth:
  issuer: https://revocation.example.test
  database: sqlite:auth.db
  master_key: ${{file:master.key}}
issuers:
  local: {{builtin: true, audiences: [api]}}
upstreams:
  oauth: {{url: "internal:oauth"}}
  app: {{url: "http://127.0.0.1:{port}"}}
routes:
  - id: oauth
    match: {{prefix: /oauth/}}
    upstream: oauth
    public: true
  - id: orders
    match: {{prefix: /orders/}}
    upstream: app
    policies:
      - jwt: {{issuer: local, scopes: ["orders:read"]}}
"""
SECTION = AuthServerSection(issuer="https://revocation.example.test", database="sqlite:auth.db",
                            master_key="${file:master.key}")


def registry_op(d: Path, op: str, *args: Any) -> Any:
    async def run() -> Any:
        parts = open_components(SECTION, SYSTEM_CLOCK, d)
        try:
            return await getattr(parts.registry, op)(*args)
        finally:
            await parts.store.close()

    return anyio.run(run)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    with gateway_with_upstream(tmp_path, CONFIG) as (port, _):
        yield {"url": f"http://127.0.0.1:{port}", "dir": tmp_path}


def _token(http: httpx.Client, url: str, client_id: str, secret: str) -> str:
    resp = http.post(url + "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
    assert resp.status_code == 200, resp.text
    return str(resp.json()["access_token"])


def test_revoked_client_tokens_stop_within_one_second(stack: dict[str, Any]) -> None:
    d, url = stack["dir"], stack["url"]
    shop_secret = registry_op(d, "create", "shop", {"orders:read"})
    other_secret = registry_op(d, "create", "other", {"orders:read"})
    with httpx.Client(timeout=5) as http:
        shop, other = _token(http, url, "shop", shop_secret), _token(http, url, "other", other_secret)
        assert http.get(url + "/orders/1", headers={"authorization": f"Bearer {shop}"}).status_code == 200
        registry_op(d, "revoke", "shop")
        started = time.monotonic()
        while http.get(url + "/orders/1", headers={"authorization": f"Bearer {shop}"}).status_code == 200:
            assert time.monotonic() - started < 1.5, "a revoked client's token still works after 1.5 s"
            time.sleep(0.05)
        assert http.get(url + "/orders/1", headers={"authorization": f"Bearer {shop}"}).status_code == 401
        assert http.get(url + "/orders/1", headers={"authorization": f"Bearer {other}"}).status_code == 200
        refused = http.post(url + "/oauth/token", data={"grant_type": "client_credentials"}, auth=("shop", shop_secret))
        assert refused.status_code == 401
