"""Integration: a partner described by its OpenAPI document — only declared operations are reachable,
each answer is checked against that operation's response schema (undeclared fields stripped,
injected content refused, undeclared statuses refused), over real TLS to the fake partner."""

from __future__ import annotations

import orjson
import pytest
from egress_fakes import Apps, AuditList, FakePartner, Pki, call

from bastion.clock import SYSTEM_CLOCK
from bastion.dataflow.recorder import FlowRecorder
from bastion.openapi import OpenAPIDocument
from bastion.secrets.store import SecretStore

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
pytest_plugins = ["egress_fixtures"]  # fixtures: pki, partner, port, apps, store

SPEC = """
openapi: 3.1.0
info: {title: partner, version: "1"}
paths:
  /orders/{order_id}:
    get:
      parameters: [{name: order_id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: an order
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
  /malicious:
    get:
      responses:
        "2XX":
          description: an order
          content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
  /charges:
    post:
      responses:
        "201": {description: created, content: {application/json: {schema: {type: object}}}}
components:
  schemas:
    Order:
      type: object
      required: [id, amount]
      properties:
        id: {type: string}
        amount: {type: integer}
        currency: {type: string}
        note: {type: string}
"""


@pytest.fixture
def openapi() -> dict[str, OpenAPIDocument]:
    return {"partner": OpenAPIDocument.from_sources("partner.yaml", {"partner.yaml": SPEC})}


async def test_declared_operation_answer_is_validated_and_minimised(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps, openapi: dict[str, OpenAPIDocument]
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, openapi=openapi, response={"openapi": "partner"})
    resp = await call(app, "GET", "/orders/77")
    assert resp.status == 200 and orjson.loads(resp.body) == {"id": "77", "amount": 1250, "currency": "EUR"}
    assert audit[-1]["fields_removed"]["response"] == 2


async def test_undeclared_operation_is_refused_before_contacting_the_partner(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps, openapi: dict[str, OpenAPIDocument]
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, openapi=openapi, response={"openapi": "partner"})
    resp = await call(app, "GET", "/big")
    assert resp.status == 404 and partner.token_requests == 0 and partner.api_requests == 0
    assert audit[-1]["outcome"] == "operation-not-declared"


async def test_injected_content_refused_under_a_range_status(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps, openapi: dict[str, OpenAPIDocument]
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, openapi=openapi, response={"openapi": "partner"})
    resp = await call(app, "GET", "/malicious")
    assert resp.status == 502 and "payload in response field /note" in audit[-1]["reason"]


async def test_undeclared_status_is_refused(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps, openapi: dict[str, OpenAPIDocument]
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, openapi=openapi, response={"openapi": "partner"})
    resp = await call(app, "POST", "/charges", body=b"{}", headers=(("content-type", "application/json"),))
    assert resp.status == 502 and "status 200 is not declared" in audit[-1]["reason"]


async def test_inventory_counts_calls_per_declared_operation_not_per_object_id(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps, openapi: dict[str, OpenAPIDocument]
) -> None:
    """A caller walking object ids makes one inventory flow (the operation's template), not one per id;
    the audit record still names the concrete path."""
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, openapi=openapi, response={"openapi": "partner"})
    app.service.dataflow = inventory = FlowRecorder(None, SYSTEM_CLOCK)
    for n in range(5):
        assert (await call(app, "GET", f"/orders/{n}")).status == 200
    flows = {(r.operation, r.category): r.messages for r in inventory.pending()}
    assert flows == {("GET /orders/{order_id}", "*"): 5}
    assert audit[-1]["operation"] == "GET /orders/4"
