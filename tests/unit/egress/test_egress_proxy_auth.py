"""Unit: forward-proxy authentication — Proxy-Authorization parsing, the order in which identity policies
are tried, which refusal wins, and the configuration it refuses (fake policies, no sockets)."""

from __future__ import annotations

import base64
from typing import Any, ClassVar

import pytest

from bastion.chain.exchange import Exchange, Principal
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.egress.proxy_auth import Caller, ProxyAuthenticator, build_authenticator, proxy_token
from bastion.errors import ConfigError
from bastion.http.problem import FORBIDDEN, SERVICE_UNAVAILABLE, UNAUTHENTICATED, Problem
from bastion.testing.clock import FakeClock

CALLER = Caller("10.1.2.3", "https")


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(("value", "token"), [
    ("Bearer abc.def-123", "abc.def-123"),
    ("bearer   abc", "abc"),
    (basic("orders-svc", "bst_key"), "bst_key"),
    (basic("", "bst_key"), "bst_key"),
    (basic("user", "pa:ss"), "pa:ss"),
    ("Bearer", None),
    ("Bearer a b", None),
    ("Bearer a\x00b", None),
    ("Bearer " + "a" * 9000, None),
    ("Digest username=x", None),
    ("Basic not-base64!", None),
    (basic("user-only", ""), None),
    ("Basic " + base64.b64encode(b"u:\xff").decode(), None),
])
def test_proxy_token(value: str, token: str | None) -> None:
    assert proxy_token(value) == token


class Fake(Policy):
    """Accepts the token ``good-<subject>`` from ``header``; otherwise answers ``problem``."""

    name: ClassVar[str] = "fake"

    def __init__(self, header: str, problem: Problem | None = None, boom: bool = False) -> None:
        super().__init__(PolicyConfig(), PolicyDeps())
        self.header = header
        self.problem = problem or UNAUTHENTICATED.problem()
        self.boom = boom
        self.seen: list[list[tuple[str, str]]] = []

    async def on_request(self, ex: Exchange) -> Problem | None:
        self.seen.append(ex.request.headers.items())
        if self.boom:
            raise RuntimeError("policy bug")
        value = (ex.request.headers.get(self.header) or "").removeprefix("Bearer ")
        if value.startswith("good-"):
            ex.principal = Principal(subject=value[5:], method="fake")
            return None
        return self.problem


async def run(policies: list[Policy], headers: list[tuple[str, str]]) -> Principal | Problem:
    return await ProxyAuthenticator(policies, FakeClock()).authenticate(headers, CALLER, "rid-1")


@pytest.mark.anyio
async def test_bearer_token_reaches_each_policy_where_it_looks_and_first_success_wins() -> None:
    jwt_like, key_like = Fake("authorization"), Fake("x-api-key")
    found = await run([jwt_like, key_like], [("proxy-authorization", "Bearer good-orders")])
    assert isinstance(found, Principal) and found.subject == "orders"
    assert jwt_like.seen == [[("authorization", "Bearer good-orders"), ("x-api-key", "good-orders")]]
    assert key_like.seen == []  # never asked: the first policy established the caller


@pytest.mark.anyio
async def test_caller_authorization_meant_for_the_partner_never_authenticates_to_the_proxy() -> None:
    policy = Fake("authorization")
    found = await run([policy], [("authorization", "Bearer good-orders"), ("x-api-key", "good-orders")])
    assert isinstance(found, Problem) and found.status == 407
    assert policy.seen == [[]]


@pytest.mark.anyio
async def test_missing_credential_gets_407_with_proxy_authenticate() -> None:
    found = await run([Fake("authorization")], [])
    assert isinstance(found, Problem) and found.status == 407
    assert ("proxy-authenticate", 'Bearer realm="bastion"') in found.headers
    assert not any(k == "www-authenticate" for k, _ in found.headers)


@pytest.mark.anyio
async def test_malformed_credential_gets_407_without_asking_policies() -> None:
    policy = Fake("authorization")
    found = await run([policy], [("proxy-authorization", "Negotiate abc")])
    assert isinstance(found, Problem) and found.status == 407


@pytest.mark.anyio
async def test_two_proxy_credentials_get_400() -> None:
    found = await run([Fake("authorization")], [("proxy-authorization", "Bearer good-a"),
                                                ("proxy-authorization", "Bearer good-b")])
    assert isinstance(found, Problem) and found.status == 400


@pytest.mark.anyio
async def test_identified_but_refused_caller_gets_403_not_407() -> None:
    found = await run([Fake("authorization"), Fake("x-api-key", FORBIDDEN.problem())],
                      [("proxy-authorization", "Bearer bad")])
    assert isinstance(found, Problem) and found.status == 403


@pytest.mark.anyio
async def test_undecidable_policy_surfaces_its_5xx() -> None:
    found = await run([Fake("authorization", SERVICE_UNAVAILABLE.problem())], [("proxy-authorization", "Bearer x")])
    assert isinstance(found, Problem) and found.status == 503


@pytest.mark.anyio
async def test_policy_that_raises_accepts_no_one() -> None:
    found = await run([Fake("authorization", boom=True)], [("proxy-authorization", "Bearer good-orders")])
    assert isinstance(found, Problem) and found.status == 407
    found = await run([Fake("authorization", boom=True), Fake("x-api-key")],
                      [("proxy-authorization", "Bearer good-orders")])
    assert isinstance(found, Principal) and found.subject == "orders"


@pytest.mark.parametrize(("entries", "path", "message"), [
    ([{"rate_limit": {}}], "auth[0].rate_limit", "not an identity policy"),
    ([{"basic": {}}], "auth[0].basic", "not an identity policy"),
    ([{"mtls": {}, "jwt": {}}], "auth[0]", "one identity policy"),
    (["mtls"], "auth[0]", "one identity policy"),
    ([{"mtls": {}}, {"api_key": {"header": "x-key"}}], "auth[1].api_key.header", "Proxy-Authorization"),
    ([{"jwt": {"issuer": "corp", "allow_query": True}}], "auth[0].jwt.allow_query", "Proxy-Authorization"),
    ([{"mtls": {"mode": "report"}}], "auth[0].mtls.mode", "report mode"),
    ([{"mtls": {"identity": "fingerprint"}}], "auth[0].mtls", "identity"),
])
def test_authenticate_entries_are_checked_with_key_paths(entries: list[Any], path: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        build_authenticator(entries, PolicyDeps(), "auth")
    assert info.value.path == path and message in info.value.msg


def test_mtls_entry_builds() -> None:
    auth = build_authenticator([{"mtls": {"identity": "dns"}}], PolicyDeps(), "auth")
    assert [p.name for p in auth.policies] == ["mtls"]
