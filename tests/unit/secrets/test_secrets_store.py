"""Unit: the secret store over in-memory SQLite with a FakeClock — versions, overlap, master rotation."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator

import pytest

from bastion.errors import SecretError
from bastion.secrets.backend import SqlSecretBackend
from bastion.secrets.crypto import MasterKey
from bastion.secrets.model import RotationPolicy
from bastion.secrets.rotation import RotationState
from bastion.secrets.sql import SqliteDriver
from bastion.secrets.store import SecretNotFound, SecretStore
from bastion.testing.clock import FakeClock

pytestmark = pytest.mark.anyio


@pytest.fixture
async def store() -> AsyncIterator[SecretStore]:
    backend = SqlSecretBackend(SqliteDriver(":memory:"))
    await backend.setup()
    yield SecretStore(backend, MasterKey(os.urandom(32)), clock=FakeClock(), default_overlap=60.0,
                      default_policy=RotationPolicy(max_age=100.0, warn_window=10.0))
    await backend.driver.close()


async def test_set_then_get_returns_value_and_metadata(store: SecretStore) -> None:
    meta = await store.set("partner.key", "k-123", actor="alice")
    got = await store.get("partner.key")
    assert (meta.version, meta.rotated_by) == (1, "alice")
    assert got.value.reveal() == "k-123" and got.meta == meta


async def test_values_are_not_stored_in_plaintext(store: SecretStore) -> None:
    await store.set("a", "plaintext-marker-value", actor="t")
    (row,) = await store.backend.rows("a")
    assert b"plaintext-marker-value" not in row.ciphertext + row.wrapped_key


async def test_rotation_keeps_previous_version_usable_for_overlap(store: SecretStore) -> None:
    clock = store.clock
    assert isinstance(clock, FakeClock)
    await store.set("a", "old", actor="t")
    clock.advance(5)
    await store.rotate("a", "new", actor="rotator", overlap=30)
    assert [v.value.reveal() for v in await store.usable("a")] == ["new", "old"]
    clock.advance(31)
    assert [v.value.reveal() for v in await store.usable("a")] == ["new"]
    assert (await store.get("a")).meta.rotated_by == "rotator"
    with pytest.raises(SecretNotFound):
        await store.get("a", version=1)


async def test_rotate_unknown_secret_is_an_error(store: SecretStore) -> None:
    with pytest.raises(SecretNotFound):
        await store.rotate("missing", "v", actor="t")


async def test_expired_version_is_not_served(store: SecretStore) -> None:
    await store.set("temp", "v", actor="t", expires_in=10)
    assert isinstance(store.clock, FakeClock)
    store.clock.advance(11)
    with pytest.raises(SecretNotFound):
        await store.get("temp")


async def test_master_rotation_rewraps_without_reencrypting(store: SecretStore) -> None:
    await store.set("a", "v1", actor="t")
    await store.rotate("a", "v2", actor="t")
    before = {r.version: r for r in await store.backend.rows("a")}
    new_master = MasterKey(os.urandom(32))
    assert await store.rotate_master(new_master) == 2
    after = {r.version: r for r in await store.backend.rows("a")}
    for v in (1, 2):
        assert after[v].ciphertext == before[v].ciphertext
        assert after[v].wrapped_key != before[v].wrapped_key and after[v].master_kid == new_master.kid
    fresh = SecretStore(store.backend, new_master, clock=store.clock)
    assert (await fresh.get("a")).value.reveal() == "v2"
    stale = SecretStore(store.backend, MasterKey(os.urandom(32)), clock=store.clock)
    with pytest.raises(SecretError, match="not loaded"):
        await stale.get("a")


async def test_previous_master_key_still_reads_during_rotation(store: SecretStore) -> None:
    await store.set("a", "v1", actor="t")
    new = MasterKey(os.urandom(32))
    both = SecretStore(store.backend, new, previous_masters=[store.master], clock=store.clock)
    assert (await both.get("a")).value.reveal() == "v1"


async def test_rotation_status_uses_per_secret_policy(store: SecretStore) -> None:
    await store.set("strict", "v", actor="t", policy=RotationPolicy(max_age=20.0))
    await store.set("default", "v", actor="t")
    assert isinstance(store.clock, FakeClock)
    store.clock.advance(25)
    states = {s.name: s.state for s in await store.rotation_status()}
    assert states == {"strict": RotationState.OVERDUE, "default": RotationState.OK}
    store.clock.advance(70)
    assert {s.name: s.state for s in await store.rotation_status()}["default"] is RotationState.DUE_SOON


async def test_delete_removes_every_version(store: SecretStore) -> None:
    await store.set("a", "1", actor="t")
    await store.rotate("a", "2", actor="t")
    assert await store.delete("a") == 2
    assert await store.current() == []


@pytest.mark.parametrize("name", ["", "../etc", "a b", "x" * 200])
async def test_invalid_names_rejected(store: SecretStore, name: str) -> None:
    with pytest.raises(SecretError, match="secret names"):
        await store.set(name, "v", actor="t")


async def test_value_never_in_repr_or_logs(store: SecretStore, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await store.set("a", "leak-canary-9f3", actor="t")
    got = await store.get("a")
    logging.getLogger("test").info("got %r %s %r", got, got.value, await store.versions("a"))
    assert "leak-canary-9f3" not in caplog.text + repr(store) + repr(got)
