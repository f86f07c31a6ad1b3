"""Unit: cors compares origins exactly, answers preflights itself and owns the Access-Control fields."""

from __future__ import annotations

from typing import Any

import pytest

from bastion.chain.policy import PolicyDeps
from bastion.chain.registry import build_policy
from bastion.errors import ConfigError
from bastion.http.headers import MutableHeaders
from bastion.http.messages import ResponseHead
from bastion.policies.cors import PREFLIGHT, CorsPolicy
from bastion.testing.exchange import make_exchange

APP = "https://app.example.com"


def make(**raw: Any) -> CorsPolicy:
    raw = {"origins": [APP], "methods": ["GET", "POST"], "headers": ["Authorization", "Content-Type"],
           "credentials": True, **raw}
    policy = build_policy("cors", raw, PolicyDeps(), "routes[0].policies[0]")
    assert isinstance(policy, CorsPolicy)
    return policy


def preflight(origin: str, method: str = "POST", headers: str = "content-type") -> Any:
    return make_exchange("OPTIONS", headers=[("origin", origin), ("access-control-request-method", method),
                                             ("access-control-request-headers", headers)])


@pytest.mark.anyio
async def test_preflight_from_an_allowed_origin_is_answered_by_the_gateway() -> None:
    problem = await make().on_request(preflight(APP, headers="Authorization, content-type"))
    assert problem is not None and problem.status == 204 and problem.type == PREFLIGHT.uri
    hdrs = dict(problem.headers)
    assert hdrs["access-control-allow-origin"] == APP
    assert hdrs["access-control-allow-credentials"] == "true"
    assert hdrs["access-control-allow-methods"] == "GET, POST"
    assert hdrs["access-control-allow-headers"] == "Authorization, Content-Type"
    assert hdrs["vary"] == "Origin" and hdrs["access-control-max-age"] == "600"


@pytest.mark.parametrize(
    "ex",
    [
        preflight("https://evil.example"),
        preflight("https://app.example.com.evil.example"),  # suffix tricks
        preflight("https://evilapp.example.com"),
        preflight("http://app.example.com"),  # scheme differs
        preflight("https://app.example.com:8443"),  # port differs
        preflight("null"),
        preflight(APP, method="DELETE"),
        preflight(APP, headers="content-type, x-admin"),
    ],
)
@pytest.mark.anyio
async def test_preflight_is_refused_for_anything_not_listed_exactly(ex: Any) -> None:
    problem = await make().on_request(ex)
    assert problem is not None and problem.status == 403
    assert "evil" not in (problem.detail or "")


@pytest.mark.anyio
async def test_disallowed_origin_simple_request_is_refused() -> None:
    ex = make_exchange("POST", headers=[("origin", "https://evil.example")])
    problem = await make().on_request(ex)
    assert problem is not None and problem.status == 403


@pytest.mark.anyio
async def test_disallowed_origin_gets_no_grant_when_not_blocking() -> None:
    policy = make(block_disallowed=False)
    ex = make_exchange("GET", headers=[("origin", "https://evil.example")])
    assert await policy.on_request(ex) is None
    ex.response = ResponseHead(200, MutableHeaders([("access-control-allow-origin", "*")]))
    await policy.on_response(ex)
    assert "access-control-allow-origin" not in ex.response.headers
    assert ex.response.headers.get("vary") == "Origin"


@pytest.mark.anyio
async def test_upstream_cors_fields_are_replaced_by_the_gateways() -> None:
    policy = make(expose_headers=["RateLimit"])
    ex = make_exchange("GET", headers=[("origin", APP)])
    assert await policy.on_request(ex) is None
    ex.response = ResponseHead(200, MutableHeaders([("access-control-allow-origin", "*"),
                                                    ("access-control-allow-methods", "*")]))
    await policy.on_response(ex)
    h = ex.response.headers
    assert h.get_all("access-control-allow-origin") == [APP]
    assert "access-control-allow-methods" not in h
    assert h.get("access-control-allow-credentials") == "true"
    assert h.get("access-control-expose-headers") == "RateLimit"


@pytest.mark.anyio
async def test_preflight_response_phase_adds_nothing_twice() -> None:
    policy = make()
    ex = preflight(APP)
    problem = await policy.on_request(ex)
    assert problem is not None
    ex.response = ResponseHead(204, MutableHeaders(list(problem.headers)))
    await policy.on_response(ex)
    assert len(ex.response.headers.get_all("access-control-allow-origin")) == 1


@pytest.mark.anyio
async def test_wildcard_without_credentials_sends_star() -> None:
    policy = make(origins=["*"], credentials=False)
    problem = await policy.on_request(preflight("https://anyone.example"))
    assert problem is not None and dict(problem.headers)["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in dict(problem.headers)


@pytest.mark.parametrize(
    "raw",
    [
        {"origins": ["*"], "credentials": True},
        {"origins": ["null"]},
        {"origins": ["https://*.example.com"]},
        {"origins": ["https://app.example.com/"]},
        {"origins": ["https://App.example.com"]},
        {"origins": ["*", APP], "credentials": False},
        {"origins": []},
        {"headers": ["*"]},
    ],
)
def test_unsafe_cors_config_is_an_error(raw: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        make(**raw)


@pytest.mark.anyio
async def test_requests_without_origin_pass_untouched() -> None:
    ex = make_exchange("GET")
    assert await make().on_request(ex) is None
