"""Integration: egress through the real gateway — an mTLS-authenticated caller on a TLS listener,
the ``egress`` policy, the ``internal:egress`` upstream and the fake partner, all on loopback.

Until ``server/services.build_services`` calls ``bastion.egress.wiring.wire_into`` itself, this test
adds that one call around it (the wiring under test is ``wire_into``; everything else is the product).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from egress_fakes import ORDER_SCHEMA, FakePartner, Pki

from bastion.egress.wiring import wire_into
from bastion.secrets.config import SecretsSection, open_store
from bastion.secrets.crypto import MasterKey
from bastion.server import runner
from bastion.testing.servers import GatewayThread, LoopThread

pytestmark = [pytest.mark.integration]
pytest_plugins = ["egress_fixtures"]  # fixtures: pki, partner, port, apps, store


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch) -> None:
    if _already_wired():
        return
    original = runner.build_services  # type: ignore[attr-defined]

    def build_services(loaded: Any, *args: Any, **kw: Any) -> Any:
        services = original(loaded, *args, **kw)
        wire_into(loaded, services)
        return services

    monkeypatch.setattr(runner, "build_services", build_services)


def _already_wired() -> bool:
    from bastion.server import services

    return "bastion.egress.wiring" in Path(services.__file__).read_text()


@pytest.fixture
def lt() -> Iterator[LoopThread]:
    t = LoopThread()
    yield t
    t.stop()


CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    tls: {{cert: {pki}/srv.pem, key: {pki}/srv-key.pem, client_ca: {pki}/ca.pem, client_auth: required}}
secrets: {{store: "sqlite:secrets.db", master_key: "${{env:T_GW_MASTER}}"}}
egress:
  partners:
    partner:
      url: https://partner.test:{port}/api
      callers: [bastion-egress]
      addresses: {{partner.test: [127.0.0.1]}}
      allow_networks: [127.0.0.1/32]
      credential: {{kind: oauth2, token_url: "https://partner.test:{port}/oauth/token", client_id: bastion,
                   client_secret: "${{secret:partner.client_secret}}"}}
      tls: {{ca: {pki}/ca.pem}}
      response: {{schema: {schema}}}
upstreams:
  egress: {{url: "internal:egress"}}
routes:
  - id: egress
    match: {{prefix: /egress/}}
    upstream: egress
    policies:
      - mtls: {{ca: {pki}/ca.pem}}
      - egress: {{}}
"""


def _client(pki: Pki, tmp_path: Path) -> httpx.Client:
    ctx = ssl.create_default_context(cafile=str(pki.ca))
    ctx.check_hostname = False  # the listener's test certificate names partner.test; the caller dials 127.0.0.1
    key = tmp_path / "caller-key.pem"
    key.write_text(pki.client_key_pem)
    ctx.load_cert_chain(str(pki.client_cert), str(key))
    return httpx.Client(verify=ctx, timeout=10)


def test_caller_reaches_partner_through_the_gateway(
    wired: None, lt: LoopThread, tmp_path: Path, pki: Pki, port: int, partner: FakePartner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("T_GW_MASTER", MasterKey.generate_text())

    async def seed() -> None:
        st = await open_store(SecretsSection(store=f"sqlite:{tmp_path}/secrets.db", master_key="${env:T_GW_MASTER}"))
        await st.set("partner.client_secret", "secret-v1", actor="test")
        await st.backend.driver.close()

    lt.run(seed())
    text = CONFIG.format(pki=pki.dir, port=port, schema=orjson.dumps(ORDER_SCHEMA).decode())
    gw = GatewayThread(lt, tmp_path, text).start()
    try:
        with _client(pki, tmp_path) as client:
            resp = client.get(f"https://127.0.0.1:{gw.port}/egress/partner/orders/5",
                              headers={"authorization": "Bearer caller-secret", "x-bastion-egress-caller": "forged"})
            assert resp.status_code == 200, resp.text
            assert resp.json() == {"id": "5", "amount": 1250, "currency": "EUR"}
            seen = partner.seen_headers[-1]
            assert seen["authorization"] != "Bearer caller-secret" and "x-bastion-egress-caller" not in seen
            unknown = client.get(f"https://127.0.0.1:{gw.port}/egress/elsewhere/x")
            assert unknown.status_code == 403
        assert partner.token_requests == 1
    finally:
        gw.stop()
