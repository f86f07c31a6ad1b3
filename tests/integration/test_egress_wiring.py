"""Integration: the gateway wiring of secrets: + egress: — store opened at start, ${secret:} credentials
resolved from it, the egress policy and app built from the services, rotation events on the trail."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from egress_fakes import ORDER_SCHEMA, FakePartner, Pki

from bastion.chain.exchange import Principal
from bastion.chain.policy import PolicyDeps
from bastion.egress.audit import log_sink
from bastion.egress.connector import StaticResolver
from bastion.egress.gateway import EgressConfig, EgressPolicy
from bastion.egress.wiring import wire_secrets_and_egress
from bastion.errors import ConfigError
from bastion.proxy.internal import call_internal
from bastion.secrets.config import SecretsSection, open_store
from bastion.secrets.crypto import MasterKey
from bastion.testing.exchange import make_exchange
from bastion.webapp.app import AppRequest

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
pytest_plugins = ["egress_fixtures"]  # fixtures: pki, partner, port, apps, store


class Trail:
    def __init__(self, on: bool = True) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.log = object() if on else None
        """Like ``AuditTrail.log``: ``None`` when the audit chain is off (``audit: {enabled: false}``)."""

    def emit(self, kind: str, data: dict[str, Any]) -> None:
        self.events.append((kind, data))


def _raw(tmp_path: Path, pki: Pki, port: int) -> dict[str, Any]:
    return {
        "secrets": {"store": "sqlite:secrets.db", "master_key": "${env:T_EGRESS_MASTER}",
                    "policies": {"partner.client_secret": {"max_age": "1ms", "warn_window": "1s"}}},
        "egress": {"partners": {"partner": {
            "url": f"https://partner.test:{port}/api", "callers": ["orders-svc"], "allow_networks": ["127.0.0.1/32"],
            "credential": {"kind": "oauth2", "token_url": f"https://partner.test:{port}/oauth/token",
                           "client_id": "bastion", "client_secret": "${secret:partner.client_secret}"},
            "tls": {"ca": str(pki.ca)}, "response": {"schema": ORDER_SCHEMA}}}},
    }


async def test_gateway_wiring_end_to_end(
    tmp_path: Path, pki: Pki, port: int, partner: FakePartner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("T_EGRESS_MASTER", MasterKey.generate_text())
    raw = _raw(tmp_path, pki, port)
    seed = await open_store(SecretsSection.model_validate(raw["secrets"]), base_dir=tmp_path)
    await seed.set("partner.client_secret", "secret-v1", actor="test")
    await seed.backend.driver.close()

    trail = Trail()
    wiring = wire_secrets_and_egress(raw, tmp_path, trail=trail)
    assert wiring is not None and wiring.service is not None and wiring.app is not None
    for partner_ in wiring.service.partners.values():  # the test partner's name resolves to loopback
        partner_.client.backend.resolver = StaticResolver({"partner.test": ["127.0.0.1"]})
    await wiring.start()
    try:
        assert [k for k, _ in trail.events] == ["secret.rotation_due"]
        assert [f.rule_id for f in await wiring.rotation_findings()] == ["secrets.rotation-overdue"]
        policy = EgressPolicy(EgressConfig(), PolicyDeps(services={"egress": wiring.service}))
        ex = make_exchange("GET", "/egress/partner/orders/3", principal=Principal("orders-svc", "api_key"))
        assert await policy.on_request(ex) is None
        status, _, _ = await call_internal(wiring.app, ex)  # as the gateway calls it: the principal in process
        assert status == 200 and partner.token_requests == 1
        req = AppRequest("GET", ex.request.path, headers=ex.forward_headers)  # the same request, no principal
        assert (await wiring.app.handle(req)).status == 401
        kinds = [k for k, _ in trail.events]
        assert kinds[-1] == "egress.call" and trail.events[-1][1]["credential"]["version"] == "partner.client_secret@v1"
    finally:
        await wiring.stop()


async def test_only_the_first_worker_writes_rotation_audit_events(
    tmp_path: Path, pki: Pki, port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``--workers N`` every worker checks rotation (its metrics and findings need it), but the
    overdue-secret events reach the audit log once, from worker 0, not N times an hour."""
    monkeypatch.setenv("T_EGRESS_MASTER", MasterKey.generate_text())
    raw = _raw(tmp_path, pki, port)
    seed = await open_store(SecretsSection.model_validate(raw["secrets"]), base_dir=tmp_path)
    await seed.set("partner.client_secret", "secret-v1", actor="test")
    await seed.backend.driver.close()
    trails = {True: Trail(), False: Trail()}
    for primary, trail in trails.items():
        wiring = wire_secrets_and_egress(raw, tmp_path, trail=trail, audit_rotation=primary)
        assert wiring is not None
        await wiring.start()
        try:
            assert [f.rule_id for f in await wiring.rotation_findings()] == ["secrets.rotation-overdue"]
        finally:
            await wiring.stop()
    assert [k for k, _ in trails[True].events] == ["secret.rotation_due"]
    assert trails[False].events == []


def test_secret_references_without_a_secrets_section_are_a_config_error(tmp_path: Path, pki: Pki) -> None:
    raw = _raw(tmp_path, pki, 443)
    del raw["secrets"]
    with pytest.raises(ConfigError, match="no secrets: section"):
        wire_secrets_and_egress(raw, tmp_path)


def test_nothing_to_wire_without_either_section(tmp_path: Path) -> None:
    assert wire_secrets_and_egress({"routes": []}, tmp_path) is None
    assert os.environ.get("T_EGRESS_MASTER") is None


def test_egress_records_go_to_the_log_when_the_audit_chain_is_off(
    tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("T_EGRESS_MASTER", MasterKey.generate_text())
    off = wire_secrets_and_egress(_raw(tmp_path, pki, 443), tmp_path, trail=Trail(on=False))
    assert off is not None and off.service is not None and off.service.audit is log_sink
    on = wire_secrets_and_egress(_raw(tmp_path, pki, 443), tmp_path, trail=Trail())
    assert on is not None and on.service is not None and on.service.audit is not log_sink
