"""Integration: unsafe consumption (API10) — partner responses with undeclared and malicious fields,
oversized and slow answers; request-side field allow-lists; HMAC signing and API keys over real TLS."""

from __future__ import annotations

import orjson
import pytest
from egress_fakes import Apps, AuditList, FakePartner, Pki, call

from bastion.clock import SYSTEM_CLOCK
from bastion.dataflow.recorder import FlowRecorder
from bastion.secrets.store import SecretStore
from bastion.testing.clock import FakeClock

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
pytest_plugins = ["egress_fixtures"]  # fixtures: pki, partner, port, apps, store


async def test_undeclared_partner_fields_are_stripped(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit)
    resp = await call(app, "GET", "/orders/9")
    assert resp.status == 200
    assert orjson.loads(resp.body) == {"id": "9", "amount": 1250, "currency": "EUR"}
    assert audit[-1]["fields_removed"]["response"] == 2  # internal_debug and __proto__
    names = {k for k, _ in resp.headers}
    assert "set-cookie" not in names and "server" not in names and "etag" in names


async def test_injection_payload_in_partner_response_is_refused(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit)
    resp = await call(app, "GET", "/malicious")
    problem = orjson.loads(resp.body)
    assert resp.status == 502 and problem["title"] == "Upstream response rejected"
    assert problem["detail"] == "partner 'partner' sent a response that failed validation"
    assert b"script" not in resp.body and "xss payload in response field /note" in audit[-1]["reason"]


async def test_schema_violation_fails_closed(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    strict = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    app = await apps(pki, port, store, audit=audit, response={"schema": strict})
    resp = await call(app, "GET", "/orders/abc")
    assert resp.status == 502 and "fails its schema at /id" in audit[-1]["reason"]


async def test_oversized_partner_response_is_refused(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, credential={"kind": "none"},
                     response={"schema": {"type": "object"}, "max_bytes": 65536})
    resp = await call(app, "GET", "/big")
    assert resp.status == 502 and "larger than 65536" in audit[-1]["reason"]


async def test_slow_partner_times_out_with_504(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    app = await apps(pki, port, store, credential={"kind": "none"}, timeouts={"connect": "1s", "total": "0.5s"})
    resp = await call(app, "GET", "/slow")
    assert resp.status == 504 and orjson.loads(resp.body)["detail"] == "partner 'partner' did not answer in time"


async def test_silent_connection_idempotent_call_is_sent_once_more(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    """A GET whose connection goes silent (no byte for ``read``) is tried once more, inside ``total``."""
    app = await apps(pki, port, store, credential={"kind": "none"},
                     timeouts={"connect": "2s", "read": "0.3s", "total": "10s"})
    partner.stalls = 1
    resp = await call(app, "GET", "/stall")
    assert resp.status == 200 and partner.stall_requests == 2
    assert app.service.partners["partner"].client.retries == 1


async def test_silent_connection_non_idempotent_call_is_never_sent_twice(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, credential={"kind": "none"},
                     timeouts={"connect": "2s", "read": "0.3s", "total": "10s"})
    partner.stalls = 1
    resp = await call(app, "POST", "/stall", body=b'{"amount": 1}', headers=(("content-type", "application/json"),))
    assert resp.status == 504 and partner.stall_requests == 1
    assert "no data for 0.3s" in audit[-1]["reason"]


async def test_request_field_allow_list_and_pii_inventory(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, request={"allow_fields": ["amount", "email"]})
    app.service.dataflow = inventory = FlowRecorder(None, SYSTEM_CLOCK)
    body = orjson.dumps({"amount": 5, "email": "jane@example.com", "ssn": "078-05-1120", "notes": "x"})
    resp = await call(app, "POST", "/charges", body=body, headers=(("content-type", "application/json"),))
    assert resp.status == 200 and orjson.loads(resp.body)["received_fields"] == ["amount", "email"]
    rec = audit[-1]
    assert rec["fields_removed"]["request"] == 2 and rec["pii_sent"] == ["email"]
    assert "jane@example.com" not in str(rec)
    flows = {(r.recipient, r.direction, r.category): r.items for r in inventory.pending()}
    assert flows == {("partner", "request", "*"): 0, ("partner", "request", "email"): 1}


async def test_pii_inventory_samples_a_burst_and_weights_it(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    """Under load the inventory scans ``scans_per_second`` bodies per operation: the rest are counted, their
    records say ``pii_sent: null`` (not scanned), and the next sample stands for them."""
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit)
    clock = FakeClock()
    app.service.dataflow = inventory = FlowRecorder(None, clock, scans_per_second=1.0)
    body = orjson.dumps({"amount": 5, "email": "jane@example.com"})
    for _ in range(3):
        resp = await call(app, "POST", "/charges", body=body, headers=(("content-type", "application/json"),))
        assert resp.status == 200
    assert [r["pii_sent"] for r in audit[-3:]] == [["email"], None, None]
    clock.advance(1.0)
    resp = await call(app, "POST", "/charges", body=body, headers=(("content-type", "application/json"),))
    assert resp.status == 200 and audit[-1]["pii_sent"] == ["email"]
    flows = {(r.recipient, r.category): (r.messages, r.items) for r in inventory.pending()}
    assert flows == {("partner", "*"): (4, 0), ("partner", "email"): (4, 4)}


async def test_caller_not_listed_for_partner_is_forbidden(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    app = await apps(pki, port, store)
    resp = await call(app, "GET", "/orders/1", subject="someone-else")
    assert resp.status == 403 and partner.token_requests == 0 and partner.api_requests == 0


async def test_hmac_signed_requests_verify_at_the_partner(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    await store.set("partner.hmac", "hmac-key-1", actor="test")
    partner.hmac_keys = {"bastion-1": b"hmac-key-1"}
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit,
                     credential={"kind": "hmac", "key_id": "bastion-1", "secret": "${secret:partner.hmac}"})
    resp = await call(app, "GET", "/signed", query="a=1&b=2")
    assert resp.status == 200 and orjson.loads(resp.body)["id"] == "bastion-1"
    assert audit[-1]["credential"] == {"kind": "hmac", "version": "partner.hmac@v1"}
    partner.hmac_keys = {"bastion-1": b"another-key"}
    assert (await call(app, "GET", "/signed")).status == 502
