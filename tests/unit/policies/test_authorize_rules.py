"""Unit: the authorize policy — scopes, claim conditions, admin (function-level) and object-level rules."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from bastion.chain.exchange import Principal
from bastion.chain.policy import Policy, PolicyDeps
from bastion.chain.registry import build_policy
from bastion.errors import ConfigError
from bastion.policies.authorize import AuthorizeConfig, AuthorizePolicy
from bastion.testing.exchange import make_exchange

pytestmark = pytest.mark.anyio


def customer(**claims: Any) -> Principal:
    base = {"sub": "shop-web", "customer_id": "c-1", "customers": ["c-1", "c-2"], "roles": ["user"]}
    return Principal("shop-web", "jwt", scopes=frozenset({"orders:read"}), claims={**base, **claims})


def admin() -> Principal:
    return Principal("ops", "jwt", scopes=frozenset({"orders:read", "admin"}), claims={"sub": "ops"})


def policy(**config: Any) -> AuthorizePolicy:
    return AuthorizePolicy(AuthorizeConfig(**config), PolicyDeps())


async def status(p: Policy, principal: Principal | None, **ex: Any) -> int:
    problem = await p.on_request(make_exchange(principal=principal, **ex))
    return 200 if problem is None else problem.status


async def test_denies_without_principal() -> None:
    assert await status(policy(scopes=["orders:read"]), None) == 401


def test_requires_at_least_one_rule() -> None:
    with pytest.raises(ConfigError):
        policy()


@pytest.mark.parametrize(("scopes", "mode", "expected"), [
    (["orders:read"], "all", 200), (["orders:read", "orders:write"], "all", 403),
    (["orders:read", "orders:write"], "any", 200), (["orders"], "all", 403),
])
async def test_scopes_all_any_exact(scopes: list[str], mode: str, expected: int) -> None:
    assert await status(policy(scopes=scopes, scopes_mode=mode), customer()) == expected


async def test_claim_conditions() -> None:
    assert await status(policy(claims={"roles": "user"}), customer()) == 200
    assert await status(policy(claims={"roles": ["admin", "auditor"]}), customer()) == 403
    assert await status(policy(claims={"tenant": "t1"}), customer()) == 403


async def test_admin_operation_needs_admin_scope_or_role() -> None:
    rule = {"admin": {"scopes": ["admin"], "roles": ["admin"], "methods": ["DELETE"]}}
    assert await status(policy(**rule), customer(), method="DELETE") == 403
    assert await status(policy(**rule), customer(), method="GET") == 200
    assert await status(policy(**rule), admin(), method="DELETE") == 200
    assert await status(policy(**rule), customer(roles=["admin"]), method="DELETE") == 200


async def test_object_rule_on_path_param_blocks_other_customers_orders() -> None:
    p = policy(object={"param": "customer_id", "claim": "customer_id"})
    assert await status(p, customer(), params={"customer_id": "c-1"}) == 200
    assert await status(p, customer(), params={"customer_id": "c-9"}) == 403
    assert await status(p, customer(), params={}) == 403


async def test_object_rule_listed_claim_and_admin_bypass() -> None:
    p = policy(object={"param": "customer_id", "claim": "customers", "admin_bypass": True},
               admin={"scopes": ["admin"], "methods": ["DELETE"]})
    assert await status(p, customer(), params={"customer_id": "c-2"}) == 200
    assert await status(p, customer(), params={"customer_id": "c-3"}) == 403
    assert await status(p, admin(), params={"customer_id": "c-3"}) == 200


async def test_object_rule_on_query_refuses_duplicates() -> None:
    p = policy(object={"query": "customer", "claim": "customer_id"})
    assert await status(p, customer(), query="customer=c-1") == 200
    assert await status(p, customer(), query="customer=c-1&customer=c-9") == 403


async def test_object_rule_on_json_body() -> None:
    p = build_policy("authorize", {"object": [{"pointer": "/order/customer_id", "claim": "customer_id"}]},
                     PolicyDeps(), "routes[0].policies[0]")
    assert p.needs_request_body
    ok = orjson.dumps({"order": {"customer_id": "c-1"}})
    assert await status(p, customer(), body=ok) == 200
    assert await status(p, customer(), body=orjson.dumps({"order": {"customer_id": "c-9"}})) == 403
    dup = b'{"order": {"customer_id": "c-1", "customer_id": "c-9"}}'
    assert await status(p, customer(), body=dup) == 403
    assert await status(p, customer(), body=b"not json") == 403
