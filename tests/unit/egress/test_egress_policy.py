"""Unit: the egress policy (caller authentication/authorisation) and the egress app's request checks."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.chain.exchange import Principal
from bastion.chain.policy import PolicyDeps
from bastion.egress.build import build_egress
from bastion.egress.config import EgressSection
from bastion.egress.gateway import (
    _PLAIN_PATH,
    EgressApp,
    EgressConfig,
    EgressPolicy,
    plain_path,
    safe_partner_target,
    split_egress_path,
)
from bastion.egress.service import EgressService
from bastion.errors import ConfigError
from bastion.http.headers import Headers
from bastion.http.paths import PathError, normalize_path
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange
from bastion.webapp.app import AppRequest

pytestmark = pytest.mark.anyio
CLOCK = FakeClock()


@pytest.fixture(scope="module")
def service() -> Iterator[EgressService]:
    """Built once (loading the system trust store is slow); these tests never open a connection."""
    section = EgressSection.model_validate({"partners": {"pay": {
        "url": "https://pay.test/v1", "callers": ["orders-svc", "client-7"],
        "response": {"schema": {"type": "object"}}}}})
    svc = anyio.run(lambda: build_egress(section, clock=CLOCK))
    yield svc
    anyio.run(svc.aclose)


def _policy(service: EgressService) -> EgressPolicy:
    return EgressPolicy(EgressConfig(), PolicyDeps(clock=CLOCK, services={"egress": service}))


async def test_policy_without_service_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="egress"):
        EgressPolicy(EgressConfig(), PolicyDeps())


async def test_rejects_unauthenticated_caller(service: EgressService) -> None:
    problem = await _policy(service).on_request(make_exchange("GET", "/egress/pay/x"))
    assert problem is not None and problem.status == 401


@pytest.mark.parametrize("path", ["/egress/pay/x", "/egress/unknown/x"])
async def test_rejects_caller_not_allowed_for_partner(service: EgressService, path: str) -> None:
    ex = make_exchange("GET", path, principal=Principal("intruder", "api_key"))
    problem = await _policy(service).on_request(ex)
    assert problem is not None and problem.status == 403


async def test_authorised_caller_passes_and_the_partner_is_noted(service: EgressService) -> None:
    ex = make_exchange("GET", "/egress/pay/x", principal=Principal("svc-x", "jwt", client_id="client-7"))
    assert await _policy(service).on_request(ex) is None
    noted = ex.notes["egress"]
    assert noted.partner.name == "pay" and noted.rest == "/x" and noted.principal is ex.principal


async def test_outside_the_mount_the_policy_does_nothing(service: EgressService) -> None:
    ex = make_exchange("GET", "/orders/1")
    assert await _policy(service).on_request(ex) is None and "egress" not in ex.notes


@pytest.mark.parametrize("header", ["x-bastion-egress-caller", "x-principal", "x-forwarded-user"])
async def test_app_refuses_calls_without_a_principal_whatever_headers_claim(
    service: EgressService, header: str
) -> None:
    """The caller is the gateway's in-process principal; no header can stand in for it."""
    req = AppRequest("GET", "/egress/pay/x", headers=Headers([(header, "orders-svc")]))
    resp = await EgressApp(service).handle(req)
    assert resp.status == 401 and orjson.loads(resp.body)["title"] == "Authentication required"


async def test_app_checks_the_principal_may_use_the_partner(service: EgressService) -> None:
    req = AppRequest("GET", "/egress/pay/x", principal=Principal("intruder", "api_key"))
    assert (await EgressApp(service).handle(req)).status == 403


@pytest.mark.parametrize("query", ["a=1 b", "a=1#frag", "a=%0d%0a\r\n"])
async def test_app_refuses_unsafe_query_strings(service: EgressService, query: str) -> None:
    req = AppRequest("GET", "/egress/pay/x", query_string=query, principal=Principal("orders-svc", "jwt"))
    assert (await EgressApp(service).handle(req)).status == 400


def test_split_egress_path() -> None:
    assert split_egress_path("/egress", "/egress/pay/v1/x") == ("pay", "/v1/x")
    assert split_egress_path("/egress", "/egress/pay") == ("pay", "/")
    assert split_egress_path("/egress", "/egressx/pay") is None
    assert split_egress_path("/egress", "/egress/") is None


@settings(max_examples=3000, deadline=None)
@given(st.text(st.sampled_from(list("/.%a1:@!$&'()*+,;=_~-\\ \x00é")), max_size=16))
def test_plain_path_shortcut_agrees_with_normalisation(path: str) -> None:
    """The fast check for an already-normal partner path never accepts what normalisation would change."""
    try:
        normal = normalize_path(path) == path
    except PathError:
        normal = False
    assert safe_partner_target(path, "") == normal


@settings(max_examples=3000, deadline=None)
@given(st.text(st.sampled_from(list("/.%a1Z:@!$&'()*+,;=_~-\\ \x00\n\té#?")), max_size=16))
def test_plain_path_is_the_plain_path_regex_without_its_trailing_newline_exception(path: str) -> None:
    """``plain_path`` (``str`` methods) accepts what ``_PLAIN_PATH`` accepts, except a trailing newline that
    the regex's ``$`` lets through."""
    assert plain_path(path) == (_PLAIN_PATH.match(path) is not None and not path.endswith("\n"))


@pytest.mark.parametrize("path", ["/v1/x\n", "/v1//x", "/v1/./x", "/v1/.hidden", "v1/x", "", "/v1/x y", "/v1/%2e"])
def test_paths_that_are_not_plain(path: str) -> None:
    assert not plain_path(path)


@pytest.mark.parametrize("path", ["/", "/v1/x", "/v1/x/", "/v1/a.b~c-d_e", "/v1/@:!$&'()*+,;="])
def test_plain_paths(path: str) -> None:
    assert plain_path(path)


async def test_app_refuses_a_path_with_a_trailing_newline(service: EgressService) -> None:
    req = AppRequest("GET", "/egress/pay/x\n", principal=Principal("orders-svc", "jwt"))
    assert (await EgressApp(service).handle(req)).status == 400
