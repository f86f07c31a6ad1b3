"""Integration: the real gateway (``bastion serve`` on a loop thread, real sockets) mounting the built-in
authorization server as ``internal:oauth`` and protecting a route with ``jwt`` + ``authorize`` — the
demo's flow: fetch a token, call a scoped route, and a customer cannot read another customer's orders."""

from __future__ import annotations

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
  issuer: https://gateway.example.test
  database: sqlite:auth.db
  master_key: ${{file:master.key}}
issuers:
  local: {{builtin: true, audiences: [api], require_typ: true}}
upstreams:
  oauth: {{url: "internal:oauth"}}
  shop: {{url: "http://127.0.0.1:{port}"}}
routes:
  - id: oauth
    match: {{prefix: /oauth/}}
    upstream: oauth
    public: true
  - id: oauth-well-known
    match: {{prefix: /.well-known/}}
    upstream: oauth
    public: true
  - id: customer-orders
    match: {{methods: [GET], path: "/customers/{{customer_id}}/orders"}}
    upstream: shop
    policies:
      - jwt: {{issuer: local, scopes: ["orders:read"]}}
      - authorize: {{object: {{param: customer_id, claim: customer_id, admin_bypass: true}},
                    admin: {{scopes: [admin], methods: [DELETE]}}}}
"""


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    with gateway_with_upstream(tmp_path, CONFIG) as (port, shop):
        yield {"url": f"http://127.0.0.1:{port}", "dir": tmp_path, "shop": shop}


def create_clients(tmp_path: Path) -> tuple[str, str]:
    section = AuthServerSection(issuer="https://gateway.example.test", database="sqlite:auth.db",
                                master_key="${file:master.key}")

    async def run() -> tuple[str, str]:
        parts = open_components(section, SYSTEM_CLOCK, tmp_path)
        try:
            customer = await parts.registry.create("customer-1001", {"orders:read"},
                                                   claims={"customer_id": "1001"})
            admin = await parts.registry.create("shop-admin", {"orders:read", "admin"})
            assert customer and admin
            return customer, admin
        finally:
            await parts.store.close()

    return anyio.run(run)


def test_demo_flow_through_the_gateway(stack: dict[str, Any]) -> None:
    customer, admin = create_clients(stack["dir"])
    url = stack["url"]
    with httpx.Client(timeout=5) as http:
        assert http.get(url + "/customers/1001/orders").status_code == 401
        meta = http.get(url + "/.well-known/oauth-authorization-server")
        assert meta.status_code == 200 and meta.json()["issuer"] == "https://gateway.example.test"
        resp = http.post(url + "/oauth/token", data={"grant_type": "client_credentials"},
                         auth=("customer-1001", customer))
        assert resp.status_code == 200, resp.text
        bearer = {"authorization": f"Bearer {resp.json()['access_token']}"}
        assert http.get(url + "/customers/1001/orders", headers=bearer).status_code == 200
        other = http.get(url + "/customers/1002/orders", headers=bearer)
        assert other.status_code == 403 and other.headers["content-type"] == "application/problem+json"
        bad = http.post(url + "/oauth/token", data={"grant_type": "client_credentials"},
                        auth=("customer-1001", "wrong"))
        assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
        admin_token = http.post(url + "/oauth/token", data={"grant_type": "client_credentials"},
                                auth=("shop-admin", admin)).json()["access_token"]
        admin_bearer = {"authorization": f"Bearer {admin_token}"}
        assert http.get(url + "/customers/1002/orders", headers=admin_bearer).status_code == 200
    forwarded = [r.path for r in stack["shop"].requests]
    assert forwarded == ["/customers/1001/orders", "/customers/1002/orders"]
