"""Integration: the secret store on real SQLite files and real PostgreSQL (unique tables, dropped after)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest

from bastion.secrets.backend import SqlSecretBackend
from bastion.secrets.crypto import MasterKey
from bastion.secrets.sql import PostgresDriver, SqliteDriver
from bastion.secrets.store import SecretStore

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
PG_DSN = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", "postgres"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlSecretBackend]:
    prefix = f"t_sec_{uuid.uuid4().hex[:10]}_"
    driver = SqliteDriver(tmp_path / "s.db") if request.param == "sqlite" else PostgresDriver(PG_DSN)
    b = SqlSecretBackend(driver, prefix)
    await b.setup()
    try:
        yield b
    finally:
        await b.drop()
        await driver.close()


async def test_versions_survive_reopen_and_master_rotation(backend: SqlSecretBackend) -> None:
    master = MasterKey(os.urandom(32))
    store = SecretStore(backend, master)
    await store.set("partner.secret", "v1", actor="alice")
    await store.rotate("partner.secret", "v2", actor="bob", overlap=3600)
    other_instance = SecretStore(backend, master)
    assert [v.value.reveal() for v in await other_instance.usable("partner.secret")] == ["v2", "v1"]
    new_master = MasterKey(os.urandom(32))
    cipher_before = [r.ciphertext for r in await backend.rows("partner.secret")]
    assert await store.rotate_master(new_master) == 2
    assert [r.ciphertext for r in await backend.rows("partner.secret")] == cipher_before
    assert (await SecretStore(backend, new_master).get("partner.secret")).value.reveal() == "v2"


async def test_concurrent_writers_on_two_instances_get_distinct_versions(backend: SqlSecretBackend) -> None:
    master = MasterKey(os.urandom(32))
    instances = [SecretStore(backend, master), SecretStore(backend, master)]
    results: list[int] = []

    async def write(i: int) -> None:
        results.append((await instances[i % 2].set("c", f"value-{i}", actor="t")).version)

    async with anyio.create_task_group() as tg:
        for i in range(8):
            tg.start_soon(write, i)
    assert sorted(results) == list(range(1, 9))
    assert len(await instances[0].versions("c")) == 8
