"""Unit: scope-conditional fields, allow/deny lists and PII actions of the minimize policy."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from bastion.chain.exchange import Exchange, Principal
from bastion.chain.policy import PolicyDeps
from bastion.errors import ConfigError
from bastion.policies.minimize import MinimizeConfig, MinimizePolicy
from bastion.testing.exchange import make_exchange

CUSTOMER: dict[str, Any] = {
    "id": 7, "name": "Ann", "email": "ann@example.com", "phone": "+44 20 7946 0958",
    "notes": "prefers card 4111 1111 1111 1111", "internal": {"score": 0.9},
    "orders": [{"id": 1, "email": "ann@example.com", "iban": "DE89370400440532013000"}],
}


def run(config: dict[str, Any], scopes: frozenset[str] | None = None, body: Any = CUSTOMER,
        env: dict[str, str] | None = None) -> tuple[Any, Exchange]:
    import anyio

    deps = PolicyDeps(services={"secret_lookup": (env or {}).get})
    pol = MinimizePolicy(MinimizeConfig.model_validate(config), deps)
    principal = Principal("user-1", "jwt", client_id="web", scopes=scopes) if scopes is not None else None
    raw = orjson.dumps(body)
    ex = make_exchange("GET", "/customers/7", template="/customers/{id}", principal=principal,
                       response_status=200, response_headers=[("content-type", "application/json")],
                       response_body=raw)
    problem = anyio.run(pol.on_response, ex)
    return problem, ex


def body(ex: Exchange) -> Any:
    return orjson.loads(ex.response_body or b"")


SCOPED = {"scoped": [{"scope": "customers:pii", "fields": ["email", "phone", "orders[].email"]}]}


def test_pii_fields_removed_without_the_scope() -> None:
    _, ex = run(SCOPED, frozenset({"customers:read"}))
    out = body(ex)
    assert "email" not in out and "phone" not in out and "email" not in out["orders"][0]


def test_pii_fields_kept_with_the_scope() -> None:
    _, ex = run(SCOPED, frozenset({"customers:read", "customers:pii"}))
    assert body(ex) == CUSTOMER


def test_anonymous_requests_get_the_minimal_view() -> None:
    _, ex = run(SCOPED, None)
    assert "email" not in body(ex)


def test_scoped_fields_masked_otherwise() -> None:
    _, ex = run({"scoped": [{"scope": "customers:pii", "fields": ["email", "phone"], "otherwise": "mask"}]},
                frozenset())
    out = body(ex)
    assert out["email"] == "***********.com" and out["phone"].endswith("0958") and "7946" not in out["phone"]


def test_scoped_fields_hashed_with_the_tenant_key() -> None:
    env = {"pii-key": "a-tenant-key-of-32-characters!!!"}
    config = {"scoped": [{"scope": "customers:pii", "fields": ["email"], "otherwise": "hash"}],
              "hash_key": "${secret:pii-key}"}
    _, a = run(config, frozenset(), env=env)
    _, b = run(config, frozenset(), env=env)
    assert body(a)["email"] == body(b)["email"] != CUSTOMER["email"]


def test_hash_without_a_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="hash_key"):
        run({"pii": {"email": "hash"}})


def test_allow_list() -> None:
    _, ex = run({"allow": ["id", "name", "orders[].id"]})
    assert body(ex) == {"id": 7, "name": "Ann", "orders": [{"id": 1}]}


def test_deny_list() -> None:
    _, ex = run({"deny": ["internal", "**.iban"]})
    out = body(ex)
    assert "internal" not in out and "iban" not in out["orders"][0] and out["email"] == CUSTOMER["email"]


def test_pii_actions_per_category_inside_text_and_fields() -> None:
    _, ex = run({"pii": {"card": "redact", "iban": "mask", "email": "redact"}})
    out = body(ex)
    assert out["notes"] == "prefers card [REDACTED:card]"
    assert out["orders"][0]["iban"].endswith("3000") and "DE89" not in out["orders"][0]["iban"]
    assert out["email"] == "[REDACTED:email]" and out["orders"][0]["email"] == "[REDACTED:email]"


def test_block_category_refuses_the_response_with_502() -> None:
    problem, ex = run({"pii": {"iban": "block"}})
    assert problem is not None and problem.status == 502 and problem.type.endswith("upstream-response-invalid")
    assert "DE89" not in repr(problem) and "DE89" not in repr(ex.notes)


def test_unscoped_token_never_sees_pii_even_if_allow_lists_it() -> None:
    _, ex = run({"allow": ["id", "email"], **SCOPED}, frozenset())
    assert body(ex) == {"id": 7}
