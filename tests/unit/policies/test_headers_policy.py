"""Unit: the headers and request_size policies (no sockets)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bastion.chain.exchange import Principal
from bastion.chain.policy import PolicyDeps
from bastion.policies.headers import HeadersConfig, HeadersPolicy
from bastion.policies.request_size import RequestSizeConfig, RequestSizePolicy
from bastion.testing.exchange import make_exchange

pytestmark = pytest.mark.anyio


async def test_secure_response_defaults_and_no_store_when_authenticated() -> None:
    p = HeadersPolicy(HeadersConfig(), PolicyDeps())
    ex = make_exchange(response_status=200, response_headers=[("cache-control", "max-age=600")])
    ex.principal = Principal("alice", "jwt")
    assert await p.on_response(ex) is None
    assert ex.response is not None
    h = ex.response.headers
    assert h.get("x-content-type-options") == "nosniff"
    assert h.get("cache-control") == "no-store"
    assert h.get("content-security-policy", "").startswith("default-src 'none'")


async def test_add_remove_require() -> None:
    cfg = HeadersConfig.model_validate({"request": {"add": {"X-Tenant": "t1"}, "remove": ["X-Debug"],
                                                    "require": ["X-Client"]},
                                        "response": {"remove": ["X-Internal"], "add": {"X-Api-Version": "1"}}})
    p = HeadersPolicy(cfg, PolicyDeps())
    missing = make_exchange(headers=[("x-debug", "1")])
    problem = await p.on_request(missing)
    assert problem is not None and problem.status == 400
    ex = make_exchange(headers=[("x-debug", "1"), ("x-client", "c")])
    assert await p.on_request(ex) is None
    assert "x-debug" not in ex.forward_headers and ex.forward_headers.get("x-tenant") == "t1"
    ex.response = make_exchange(response_status=200, response_headers=[("x-internal", "db1")]).response
    await p.on_response(ex)
    assert ex.response is not None and "x-internal" not in ex.response.headers


@pytest.mark.parametrize("bad", [{"Host": "evil"}, {"Transfer-Encoding": "chunked"}, {"X-A": "a\r\nInjected: 1"},
                                 {"Bad Name": "v"}])
def test_header_injection_through_config_is_refused(bad: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        HeadersConfig.model_validate({"request": {"add": bad}})


async def test_request_size_rejects_declared_and_buffered_bodies() -> None:
    p = RequestSizePolicy(RequestSizeConfig.model_validate({"max_body_bytes": "1KiB"}), PolicyDeps())
    big = make_exchange("POST", headers=[("content-length", "5000")])
    problem = await p.on_request(big)
    assert problem is not None and problem.status == 413 and problem.close
    assert await p.on_request(make_exchange("POST", headers=[("content-length", "10")], body=b"x" * 10)) is None
    assert (await p.on_request(make_exchange("POST", body=b"x" * 2000))) is not None
