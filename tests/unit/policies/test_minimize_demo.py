"""Unit: the demo's get-customer route - the real shop app and spec, the demo config's minimize entry -
shows a minimized customer to a normal token and a fuller one to a ``customers:pii`` token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import orjson
import pytest
import yaml

from bastion.chain.exchange import Principal
from bastion.chain.policy import PolicyDeps
from bastion.chain.registry import build_policy
from bastion.demo.config import DEMO_CONFIG, shop_spec
from bastion.openapi import load_document
from bastion.samples.shop.app import build_app
from bastion.testing.exchange import make_exchange
from bastion.webapp.app import AppRequest


def _route_minimize(route_id: str) -> dict[str, Any]:
    text = DEMO_CONFIG.format(port=8443, shop_port=9443, spec=shop_spec(), folder=Path("/tmp/x"), admin_port=9000)
    (route,) = [r for r in yaml.safe_load(text)["routes"] if r["id"] == route_id]
    (entry,) = [p["minimize"] for p in route["policies"] if "minimize" in p]
    assert isinstance(entry, dict)
    return entry


def _customer_view(scopes: frozenset[str], customer_id: str = "1001") -> tuple[int, dict[str, Any]]:
    deps = PolicyDeps(openapi={"shop": load_document(shop_spec())})
    policy = build_policy("minimize", _route_minimize("get-customer"), deps, "routes[5].policies[4]")

    async def go() -> tuple[int, dict[str, Any]]:
        upstream = await build_app().handle(AppRequest("GET", f"/customers/{customer_id}",
                                                       params={"customer_id": customer_id}))
        ex = make_exchange("GET", f"/customers/{customer_id}", template="/customers/{customer_id}",
                           principal=Principal("user-1001", "jwt", client_id="shop-web", scopes=scopes),
                           response_status=upstream.status, response_headers=upstream.headers,
                           response_body=upstream.body)
        await policy.on_request(ex)
        assert await policy.on_response(ex) is None
        assert ex.response is not None
        return ex.response.status, orjson.loads(ex.response_body or b"")

    return anyio.run(go)


def test_normal_token_sees_a_minimized_customer() -> None:
    status, body = _customer_view(frozenset({"customers:read"}))
    assert status == 200
    for hidden in ("card_number", "password_hash", "internal_notes", "risk_score"):
        assert hidden not in body
    assert body["email"] != "ada@example.com" and body["email"].endswith(".com")
    assert "7946" not in body["phone"]
    assert body["name"] == "Ada Lovelace" and body["address"]["city"] == "London"


def test_pii_token_sees_contact_details_but_never_internal_fields() -> None:
    status, body = _customer_view(frozenset({"customers:read", "customers:pii"}))
    assert status == 200
    assert body["email"] == "ada@example.com" and body["phone"] == "+44 20 7946 0018"
    assert "card_number" not in body and "password_hash" not in body and "risk_score" not in body


@pytest.mark.parametrize("customer_id", ["9999"])
def test_unknown_customer_keeps_its_404_without_the_upstream_body(customer_id: str) -> None:
    status, body = _customer_view(frozenset({"customers:read"}), customer_id)
    assert status == 404 and body == {"type": "about:blank", "title": "Not Found", "status": 404}
