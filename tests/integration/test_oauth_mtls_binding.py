"""Integration: mTLS through the real gateway's TLS listener — the ``mtls`` policy re-verifies the client
chain, and RFC 8705 certificate-bound tokens issued over mTLS only work with the same certificate."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from oauth_node import gateway_with_upstream

from bastion.clock import SYSTEM_CLOCK
from bastion.devca import DevCA
from bastion.oauth.config import AuthServerSection
from bastion.oauth.services import open_components

pytestmark = pytest.mark.integration

CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    tls: {{cert: gw.pem, key: gw-key.pem, client_ca: ca.pem, client_auth: optional}}
oauth:
  issuer: https://gateway.example.test
  database: sqlite:auth.db
  master_key: ${{file:master.key}}
  certificate_bound_tokens: true
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
  - id: service-only
    match: {{path: "/internal/{{x}}"}}
    upstream: app
    policies:
      - mtls: {{ca: ca.pem, identity: cn, allowed: [billing]}}
  - id: bound
    match: {{path: "/orders/{{x}}"}}
    upstream: app
    policies:
      - jwt: {{issuer: local, scopes: ["orders:read"], require_certificate_binding: true}}
"""


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    ca = DevCA.create()
    ca.save(tmp_path / "ca.pem", tmp_path / "ca-key.pem")
    for name, kw in (("gw", {"dns": ["localhost"], "ips": ["127.0.0.1"]}), ("billing", {"client": True}),
                     ("reports", {"client": True})):
        cert, key = ca.issue(name, **kw)  # type: ignore[arg-type]
        (tmp_path / f"{name}.pem").write_bytes(cert)
        (tmp_path / f"{name}-key.pem").write_bytes(key)
    with gateway_with_upstream(tmp_path, CONFIG) as (port, _):
        yield {"url": f"https://127.0.0.1:{port}", "dir": tmp_path}


def client(d: Path, name: str | None) -> httpx.Client:
    ctx = ssl.create_default_context(cafile=str(d / "ca.pem"))
    if name:
        ctx.load_cert_chain(str(d / f"{name}.pem"), str(d / f"{name}-key.pem"))
    return httpx.Client(verify=ctx, timeout=5)


def test_mtls_policy_maps_verified_client_identity(stack: dict[str, Any]) -> None:
    d, url = stack["dir"], stack["url"]
    with client(d, "billing") as http:
        assert http.get(url + "/internal/x").status_code == 200
    with client(d, "reports") as http:
        assert http.get(url + "/internal/x").status_code == 403
    with client(d, None) as http:
        resp = http.get(url + "/internal/x")
        assert resp.status_code == 401 and 'error="invalid_token"' in resp.headers["www-authenticate"]


def test_certificate_bound_token_needs_the_same_certificate(stack: dict[str, Any]) -> None:
    d, url = stack["dir"], stack["url"]
    section = AuthServerSection(database="sqlite:auth.db", master_key="${file:master.key}")

    async def create() -> str | None:
        parts = open_components(section, SYSTEM_CLOCK, d)
        try:
            return await parts.registry.create("billing", {"orders:read"})
        finally:
            await parts.store.close()

    secret = anyio.run(create)
    assert secret
    with client(d, "billing") as http:
        resp = http.post(url + "/oauth/token", data={"grant_type": "client_credentials"}, auth=("billing", secret))
        assert resp.status_code == 200, resp.text
        token = resp.json()["access_token"]
        assert http.get(url + "/orders/1", headers={"authorization": f"Bearer {token}"}).status_code == 200
    with client(d, "reports") as http:  # a stolen token on another valid client certificate
        assert http.get(url + "/orders/1", headers={"authorization": f"Bearer {token}"}).status_code == 401
    with client(d, None) as http:
        assert http.get(url + "/orders/1", headers={"authorization": f"Bearer {token}"}).status_code == 401
