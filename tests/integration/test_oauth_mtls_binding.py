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
from cryptography.hazmat.primitives import serialization
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


@pytest.fixture
def chained_stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Root CA (the only trust anchor, at the listener and in the policy) → intermediate → client leaves."""
    root = DevCA.create("Test Root", path_length=1)
    root.save(tmp_path / "ca.pem", tmp_path / "ca-key.pem")
    issuing = root.intermediate("Test Issuing CA")
    gw_cert, gw_key = root.issue("gw", dns=["localhost"], ips=["127.0.0.1"])
    (tmp_path / "gw.pem").write_bytes(gw_cert)
    (tmp_path / "gw-key.pem").write_bytes(gw_key)
    inter_pem = issuing.cert.public_bytes(serialization.Encoding.PEM)
    for name in ("billing", "reports"):
        cert, key = issuing.issue(name, client=True)
        (tmp_path / f"{name}.pem").write_bytes(cert + inter_pem)  # leaf, then the intermediate it chains to
        (tmp_path / f"{name}-key.pem").write_bytes(key)
        (tmp_path / f"{name}-leaf-only.pem").write_bytes(cert)
        (tmp_path / f"{name}-leaf-only-key.pem").write_bytes(key)
    rogue = DevCA.create("Rogue Root", path_length=1).intermediate("Test Issuing CA")  # same name, other key
    cert, key = rogue.issue("billing", client=True)
    (tmp_path / "forged.pem").write_bytes(cert + rogue.cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "forged-key.pem").write_bytes(key)
    with gateway_with_upstream(tmp_path, CONFIG) as (port, _):
        yield {"url": f"https://127.0.0.1:{port}", "dir": tmp_path}


def test_mtls_policy_accepts_a_client_certificate_issued_by_an_intermediate(chained_stack: dict[str, Any]) -> None:
    d, url = chained_stack["dir"], chained_stack["url"]
    with client(d, "billing") as http:
        assert http.get(url + "/internal/x").status_code == 200
    with client(d, "reports") as http:  # verified, but not in `allowed`
        assert http.get(url + "/internal/x").status_code == 403


def test_mtls_policy_rejects_an_intermediate_that_does_not_chain_to_the_trusted_root(
        chained_stack: dict[str, Any]) -> None:
    d, url = chained_stack["dir"], chained_stack["url"]
    # the listener's client auth refuses these in the TLS handshake (the connection drops), else the policy: 401
    assert _status_or_refused(d, "forged", url + "/internal/x") in (None, 401)
    assert _status_or_refused(d, "billing-leaf-only", url + "/internal/x") in (None, 401)


def _status_or_refused(d: Path, name: str, url: str) -> int | None:
    with client(d, name) as http:
        try:
            return http.get(url).status_code
        except httpx.TransportError:
            return None
