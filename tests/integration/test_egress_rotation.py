"""Integration: rotating a partner credential while traffic flows drops no request — OAuth client
secret (both rotation orders) and a static API key — over real TLS against the fake partner."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import anyio
import pytest
from egress_fakes import Apps, AuditList, FakePartner, Pki, call, make_pki, serve

from bastion.egress.app import EgressApp
from bastion.secrets.backend import SqlSecretBackend
from bastion.secrets.crypto import MasterKey
from bastion.secrets.sql import SqliteDriver
from bastion.secrets.store import SecretStore

pytestmark = [pytest.mark.integration, pytest.mark.anyio]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def partner() -> FakePartner:
    return FakePartner(api_keys=set())


@pytest.fixture
def port(pki: Pki, partner: FakePartner) -> Iterator[int]:
    with serve(partner.app(), pki) as p:
        yield p


@pytest.fixture
async def apps() -> AsyncIterator[Apps]:
    built = Apps()
    yield built
    await built.aclose()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SecretStore]:
    backend = SqlSecretBackend(SqliteDriver(tmp_path / "secrets.db"))
    await backend.setup()
    st = SecretStore(backend, MasterKey(os.urandom(32)), default_overlap=300.0)
    await st.set("partner.client_secret", "secret-v1", actor="test")
    await st.set("partner.api_key", "key-v1", actor="test")
    yield st
    await backend.driver.close()


Steps = Callable[[Callable[[], Awaitable[None]]], Awaitable[None]]


async def _under_traffic(app: EgressApp, steps: Steps, path: str = "/orders/5") -> list[int]:
    """Run ``steps(settle)`` while 8 workers call the partner continuously; ``settle()`` waits until 16
    more calls have completed. Traffic continues until 16 calls after the last step; returns every status."""
    statuses: list[int] = []
    done = anyio.Event()

    async def worker() -> None:
        while not done.is_set():
            statuses.append((await call(app, "GET", path)).status)

    async def settle() -> None:
        target = len(statuses) + 16
        with anyio.fail_after(20):
            while len(statuses) < target:
                await anyio.sleep(0.01)

    async with anyio.create_task_group() as tg:
        for _ in range(8):
            tg.start_soon(worker)
        await settle()
        await steps(settle)
        await settle()
        done.set()
    return statuses


async def test_client_secret_rotation_partner_first_drops_nothing(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit)

    async def rotate(settle: Callable[[], Awaitable[None]]) -> None:
        partner.client_secrets = {"secret-v1", "secret-v2"}
        await store.rotate("partner.client_secret", "secret-v2", actor="ops")
        await settle()
        partner.client_secrets = {"secret-v2"}  # the partner retires the old secret
        partner.expire_all_tokens()              # and the tokens it issued with it

    statuses = await _under_traffic(app, rotate)
    assert set(statuses) == {200}, [(r["reason"], r["credential"], r["retried"]) for r in audit if r["status"] != 200]
    assert audit[-1]["credential"]["version"] == "partner.client_secret@v2"


async def test_client_secret_rotation_bastion_first_uses_overlap(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, credential_cache=0.0)  # read the store on every fetch

    async def rotate(settle: Callable[[], Awaitable[None]]) -> None:
        await store.rotate("partner.client_secret", "secret-v2", actor="ops")
        partner.expire_all_tokens()  # forces a token fetch while the partner knows only v1
        await settle()
        assert partner.token_requests == 3  # v1 at start; then v2 (invalid_client) and v1 again
        partner.client_secrets = {"secret-v1", "secret-v2"}
        await settle()
        partner.expire_all_tokens()  # the next fetch uses v2

    statuses = await _under_traffic(app, rotate)
    assert set(statuses) == {200}, [(r["reason"], r["credential"], r["retried"]) for r in audit if r["status"] != 200]
    versions = {r["credential"]["version"] for r in audit}
    assert "partner.client_secret@v1" in versions and "partner.client_secret@v2" in versions


async def test_api_key_rotation_drops_nothing(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    partner.api_keys = {"key-v1"}
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit,
                     credential={"kind": "api_key", "header": "x-api-key", "value": "${secret:partner.api_key}"})

    async def rotate(settle: Callable[[], Awaitable[None]]) -> None:
        partner.api_keys = {"key-v1", "key-v2"}
        await store.rotate("partner.api_key", "key-v2", actor="ops")
        partner.api_keys = {"key-v2"}  # before bastion's 5 s credential cache expires: 401 → reload → retry

    statuses = await _under_traffic(app, rotate)
    assert set(statuses) == {200}
    assert audit[-1]["credential"]["version"] == "partner.api_key@v2" and any(r["retried"] for r in audit)
