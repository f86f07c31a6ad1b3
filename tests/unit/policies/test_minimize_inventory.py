"""Unit: minimize/request_minimize record what left, per category, in the data-flow inventory (no values)."""

from __future__ import annotations

from pathlib import Path

import anyio
import orjson

from bastion.chain.exchange import Principal
from bastion.chain.policy import PolicyDeps
from bastion.dataflow import FlowRecorder, SqliteFlowStore
from bastion.policies.minimize import MinimizeConfig, MinimizePolicy
from bastion.policies.request_minimize import RequestMinimizeConfig, RequestMinimizePolicy
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange

CUSTOMER = {"id": 1, "name": "Ann Example", "email": "ann@example.com", "phone": "+44 20 7946 0958",
            "card_number": "4111111111111111"}


def test_response_flows_are_counted_after_minimization(tmp_path: Path) -> None:
    store = SqliteFlowStore(tmp_path / "f.db")
    recorder = FlowRecorder(store, FakeClock())
    pol = MinimizePolicy(MinimizeConfig.model_validate({"deny": ["card_number"]}),
                         PolicyDeps(services={"dataflow": recorder}))
    ex = make_exchange("GET", "/customers/1", template="/customers/{id}", route_id="get-customer",
                       principal=Principal("u1", "jwt", client_id="crm"), response_status=200,
                       response_headers=[("content-type", "application/json")], response_body=orjson.dumps(CUSTOMER))

    async def go() -> None:
        await pol.on_response(ex)
        await pol.on_complete(ex)

    anyio.run(go)
    recorder.flush()
    rows = {r.category: r for r in store.rows()}
    assert set(rows) == {"*", "name", "email", "phone"}  # the card was removed before it left
    assert rows["email"].recipient == "crm" and rows["email"].operation == "GET /customers/{id}"
    assert rows["email"].route == "get-customer" and rows["email"].direction == "response"
    dumped = (tmp_path / "f.db").read_bytes()
    assert b"ann@example.com" not in dumped and b"Ann Example" not in dumped


def test_request_flows_name_the_upstream_as_recipient(tmp_path: Path) -> None:
    recorder = FlowRecorder(None, FakeClock())
    pol = RequestMinimizePolicy(RequestMinimizeConfig.model_validate({"allow": ["card_number", "id"]}),
                                PolicyDeps(services={"dataflow": recorder}))
    ex = make_exchange("POST", "/charges", headers=[("content-type", "application/json")],
                       body=orjson.dumps(CUSTOMER), upstream="payments")

    async def go() -> None:
        await pol.on_request(ex)
        await pol.on_complete(ex)

    anyio.run(go)
    assert {(r.recipient, r.direction, r.category) for r in recorder.pending()} == {
        ("payments", "request", "*"), ("payments", "request", "card")}


def test_nothing_recorded_without_a_recorder_or_for_gateway_problems() -> None:
    recorder = FlowRecorder(None, FakeClock())
    pol = MinimizePolicy(MinimizeConfig.model_validate({"deny": ["x"]}), PolicyDeps(services={"dataflow": recorder}))
    ex = make_exchange("GET", "/c", response_status=403, response_headers=[("content-type", "application/json")],
                       response_body=b'{"email": "ann@example.com"}')
    from bastion.http.problem import FORBIDDEN

    ex.problem = FORBIDDEN.problem()
    anyio.run(pol.on_complete, ex)
    assert recorder.pending() == []
    anyio.run(MinimizePolicy(MinimizeConfig.model_validate({"deny": ["x"]}), PolicyDeps()).on_complete, ex)


def test_masked_fields_are_not_counted_as_disclosed() -> None:
    def flows(scopes: frozenset[str]) -> set[str]:
        recorder = FlowRecorder(None, FakeClock())
        pol = MinimizePolicy(MinimizeConfig.model_validate(
            {"scoped": [{"scope": "customers:pii", "fields": ["email", "phone"], "otherwise": "mask"}]}),
            PolicyDeps(services={"dataflow": recorder}))
        ex = make_exchange("GET", "/customers/1", principal=Principal("u1", "jwt", client_id="web", scopes=scopes),
                           response_status=200, response_headers=[("content-type", "application/json")],
                           response_body=orjson.dumps(CUSTOMER))

        async def go() -> None:
            await pol.on_response(ex)
            await pol.on_complete(ex)

        anyio.run(go)
        return {r.category for r in recorder.pending()}

    assert flows(frozenset()) == {"*", "name", "card"}
    assert flows(frozenset({"customers:pii"})) == {"*", "name", "card", "email", "phone"}
