"""Unit: the minimize policy removes what the operation's OpenAPI response schema does not declare."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from bastion.chain.exchange import Exchange
from bastion.chain.policy import PolicyDeps
from bastion.chain.registry import build_policy
from bastion.errors import ConfigError, SecurityWarning
from bastion.openapi import load_document
from bastion.policies.minimize import MinimizeConfig, MinimizePolicy
from bastion.testing.exchange import make_exchange

SPEC = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "minimize" / "customers.yaml"
OVERSHARED: dict[str, Any] = {
    "id": 7, "name": "Ann", "email": "ann@example.com", "phone": "+44 20 7946 0958",
    "card_number": "4111111111111111", "internal_score": 0.93, "password_hash": "$2b$12$abc",
    "address": {"city": "Oslo", "country": "NO", "street": "Gate 1", "geo": {"lat": 1}},
    "payment": {"kind": "card", "last4": "1111", "pan": "4111111111111111"},
    "attributes": {"tier": "gold", "segment": "b2c"},
    "referrer": {"id": 3, "name": "Bob", "ssn": "123-45-6789"},
}
EXPECTED = {
    "id": 7, "name": "Ann", "email": "ann@example.com", "phone": "+44 20 7946 0958",
    "address": {"city": "Oslo", "country": "NO"}, "payment": {"kind": "card", "last4": "1111"},
    "attributes": {"tier": "gold", "segment": "b2c"}, "referrer": {"id": 3, "name": "Bob"},
}


@pytest.fixture(scope="module")
def deps() -> PolicyDeps:
    return PolicyDeps(openapi={"shop": load_document(SPEC)})


def policy(deps: PolicyDeps, **config: Any) -> MinimizePolicy:
    return MinimizePolicy(MinimizeConfig.model_validate({"openapi": "shop", **config}), deps)


def exchange(body: Any, path: str = "/customers/7", template: str = "/customers/{id}", status: int = 200,
             content_type: str = "application/json") -> Exchange:
    raw = body if isinstance(body, bytes) else orjson.dumps(body)
    return make_exchange("GET", path, template=template, response_status=status, response_body=raw,
                         response_headers=[("content-type", content_type), ("content-length", str(len(raw))),
                                           ("etag", '"abc"')])


ENGINES = pytest.mark.parametrize("native", [True, False], ids=["msgspec", "python"])


@pytest.mark.anyio
@ENGINES
async def test_rejects_excessive_data_exposure_of_undeclared_fields(deps: PolicyDeps, native: bool) -> None:
    ex = exchange(OVERSHARED)
    assert await policy(deps, native=native).on_response(ex) is None
    assert ex.response_body is not None and orjson.loads(ex.response_body) == EXPECTED
    assert ex.response is not None
    assert ex.response.headers.get("content-length") == str(len(ex.response_body))
    assert "etag" not in ex.response.headers
    assert ex.notes["minimize"] == ({"projected": "native"} if native else {"removed": 7})


@pytest.mark.anyio
@ENGINES
async def test_list_operation_minimizes_every_item(deps: PolicyDeps, native: bool) -> None:
    ex = exchange({"items": [OVERSHARED, OVERSHARED], "next": None, "debug": {"sql": "select"}},
                  path="/customers", template="/customers")
    await policy(deps, native=native).on_response(ex)
    assert orjson.loads(ex.response_body or b"") == {"items": [EXPECTED, EXPECTED], "next": None}


@pytest.mark.anyio
async def test_operation_found_by_path_when_template_is_a_prefix(deps: PolicyDeps) -> None:
    ex = exchange(OVERSHARED, template="/")
    await policy(deps).on_response(ex)
    assert orjson.loads(ex.response_body or b"") == EXPECTED


@pytest.mark.anyio
async def test_status_ranges_and_default_responses(deps: PolicyDeps) -> None:
    problem = {"type": "about:blank", "title": "Not Found", "status": 404, "trace": "at db.py:12"}
    ex = exchange(problem, path="/customers", template="/customers", status=404,
                  content_type="application/problem+json")
    await policy(deps).on_response(ex)
    assert orjson.loads(ex.response_body or b"") == {"type": "about:blank", "title": "Not Found", "status": 404}
    ex = exchange(problem, status=500)  # "default" of getCustomer
    await policy(deps).on_response(ex)
    assert "trace" not in orjson.loads(ex.response_body or b"")


@pytest.mark.anyio
@pytest.mark.parametrize(("path", "template", "status", "ctype"), [
    ("/customers", "/customers", 201, "application/json"),  # status not declared
    ("/report.csv", "/report.csv", 200, "application/json"),  # media type not declared
    ("/orders/1", "/orders/{id}", 200, "application/json"),  # operation not in the document
])
async def test_undeclared_responses_are_refused(deps: PolicyDeps, path: str, template: str, status: int,
                                                ctype: str) -> None:
    ex = exchange(OVERSHARED, path=path, template=template, status=status, content_type=ctype)
    problem = await policy(deps).on_response(ex)
    assert problem is not None and problem.status == 502 and problem.type.endswith("upstream-response-invalid")
    assert "ann@example.com" not in repr(problem)


@pytest.mark.anyio
async def test_undeclared_errors_keep_their_status_without_the_upstream_body(deps: PolicyDeps) -> None:
    leaky = {"error": "not found", "query": "SELECT * FROM customers WHERE email='ann@example.com'"}
    ex = exchange(leaky, path="/customers", template="/customers", status=500)
    assert await policy(deps).on_response(ex) is None
    assert orjson.loads(ex.response_body or b"") == {"type": "about:blank", "title": "Internal Server Error",
                                                     "status": 500}
    assert ex.response is not None and ex.response.headers.get("content-type") == "application/problem+json"
    assert ex.response.headers.get("content-length") == str(len(ex.response_body or b""))


@pytest.mark.anyio
async def test_undeclared_pass_when_configured(deps: PolicyDeps) -> None:
    ex = exchange(OVERSHARED, path="/orders/1", template="/orders/{id}")
    with pytest.warns(SecurityWarning, match="undeclared"):
        passing = policy(deps, undeclared="pass")
    assert await passing.on_response(ex) is None
    assert orjson.loads(ex.response_body or b"") == OVERSHARED


@pytest.mark.anyio
@ENGINES
@pytest.mark.parametrize("smuggled", [
    {"name": {"first": "Ann", "ssn": "123-45-6789"}},
    {"address": [{"city": "Oslo", "street": "Gate 1"}]},
    {"payment": {"kind": "crypto", "wallet": "0xabc"}},
    {"attributes": {"tier": {"nested": "x"}}},
])
async def test_structure_smuggled_into_a_scalar_is_refused(deps: PolicyDeps, native: bool,
                                                           smuggled: dict[str, Any]) -> None:
    ex = exchange({**EXPECTED, **smuggled})
    problem = await policy(deps, native=native).on_response(ex)
    assert problem is not None and problem.status == 502
    assert "123-45-6789" not in repr(problem) and "0xabc" not in repr(ex.notes)


@pytest.mark.anyio
async def test_invalid_json_is_refused_by_the_native_engine(deps: PolicyDeps) -> None:
    ex = exchange(b'{"id": 7, "name": "Ann", ')
    problem = await policy(deps).on_response(ex)
    assert problem is not None and problem.status == 502


def test_unknown_document_is_a_config_error(deps: PolicyDeps) -> None:
    with pytest.raises(ConfigError, match="no document named"):
        build_policy("minimize", {"openapi": "nope"}, deps, "routes[0].policies[0]")


def test_registered_in_the_builtin_registry(deps: PolicyDeps) -> None:
    assert isinstance(build_policy("minimize", {"openapi": "shop"}, deps, "p"), MinimizePolicy)


def test_a_policy_without_any_rule_is_refused(deps: PolicyDeps) -> None:
    with pytest.raises(ConfigError, match="nothing to do"):
        build_policy("minimize", {}, deps, "routes[0].policies[0]")
