"""Unit: API-key format (prefix, checksum), HMAC-only storage, expiry, revocation, rotation; api_key policy."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from bastion.apikeys.format import generate, key_pattern, parse
from bastion.apikeys.store import ApiKeyStore
from bastion.chain.policy import PolicyDeps
from bastion.oauth.store import AuthStore
from bastion.policies.api_key import ApiKeyConfig, ApiKeyPolicy
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange

pytestmark = pytest.mark.anyio


@pytest.fixture
async def store() -> Any:
    auth = AuthStore.open("sqlite://:memory:")
    yield ApiKeyStore(auth, secrets.token_bytes(32), FakeClock(), cache_seconds=0)
    await auth.close()


def test_format_has_prefix_and_checksum_scanners_can_match() -> None:
    key, key_id = generate("bst")
    assert key.startswith(f"bst_{key_id}_") and key_pattern("bst").fullmatch(key)
    assert parse(key, "bst") is not None
    typo = key[:-7] + ("A" if key[-7] != "A" else "B") + key[-6:]
    assert parse(typo, "bst") is None and parse(key, "xyz") is None and parse("bst_short", "bst") is None


async def test_only_the_hmac_is_stored(store: ApiKeyStore) -> None:
    key, key_id = await store.create("alice", {"orders:read"})
    record = await store.get(key_id)
    assert record is not None and record.digest != key and key not in repr(record)
    assert len(record.digest) == 64 and (await store.verify(key)) == record


async def test_wrong_secret_part_with_valid_shape_is_rejected(store: ApiKeyStore) -> None:
    _key, key_id = await store.create("alice", set())
    other, _ = generate("bst")
    forged_body = f"bst_{key_id}_{other.split('_')[2][:32]}"
    from bastion.apikeys.format import checksum

    assert await store.verify(forged_body + checksum(forged_body)) is None


async def test_expiry_revocation_and_rotation_overlap(store: ApiKeyStore) -> None:
    clock = store.clock
    assert isinstance(clock, FakeClock)
    key, key_id = await store.create("bob", {"a"}, expires_at=clock.now() + 100)
    new_key, _ = await store.rotate(key_id, overlap=10)
    assert await store.verify(key) is not None and await store.verify(new_key) is not None
    clock.advance(11)
    assert await store.verify(key) is None and await store.verify(new_key) is not None
    clock.advance(100)
    assert await store.verify(new_key) is None
    key2, id2 = await store.create("carol", set())
    assert await store.revoke(id2) and await store.verify(key2) is None


async def _policy(store: ApiKeyStore, **config: Any) -> ApiKeyPolicy:
    return ApiKeyPolicy(ApiKeyConfig(**config), PolicyDeps(clock=store.clock, services={"api_keys": store}))


async def test_policy_accepts_header_key_and_sets_principal(store: ApiKeyStore) -> None:
    key, _key_id = await store.create("alice", {"orders:read"})
    ex = make_exchange(headers=[("x-api-key", key)])
    assert await (await _policy(store, scopes=["orders:read"])).on_request(ex) is None
    assert ex.principal is not None and ex.principal.subject == "alice" and ex.principal.method == "api_key"
    assert "x-api-key" not in ex.forward_headers


async def test_policy_refuses_key_in_query_unless_allowed(store: ApiKeyStore) -> None:
    key, _ = await store.create("alice", set())
    problem = await (await _policy(store)).on_request(make_exchange(query=f"api_key={key}"))
    assert problem is not None and problem.status == 401
    from bastion.errors import SecurityWarning

    with pytest.warns(SecurityWarning, match="query string"):
        lenient = await _policy(store, allow_query=True)
    assert await lenient.on_request(make_exchange(query=f"api_key={key}")) is None


async def test_policy_refuses_duplicate_missing_bad_and_underscoped_keys(store: ApiKeyStore) -> None:
    key, _ = await store.create("alice", {"orders:read"})
    p = await _policy(store, scopes=["orders:write"])
    dup = await p.on_request(make_exchange(headers=[("x-api-key", key), ("x-api-key", key)]))
    assert dup is not None and dup.status == 400
    for headers in ([], [("x-api-key", "bst_" + "A" * 500)], [("x-api-key", "garbage")]):
        problem = await p.on_request(make_exchange(headers=headers))
        assert problem is not None and problem.status == 401
    scoped = await p.on_request(make_exchange(headers=[("x-api-key", key)]))
    assert scoped is not None and scoped.status == 403
