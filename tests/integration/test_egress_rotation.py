"""Integration: rotating a partner credential while traffic flows drops no request — OAuth client
secret (both rotation orders) and a static API key — over real TLS against the fake partner."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio
import pytest
from egress_fakes import Apps, AuditList, FakePartner, Pki, call, serve

from bastion.egress.gateway import EgressApp
from bastion.secrets.store import SecretStore

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
pytest_plugins = ["egress_fixtures"]  # fixtures: pki, partner, port, apps, store


Steps = Callable[[Callable[[], Awaitable[None]]], Awaitable[None]]


async def _under_traffic(app: EgressApp, steps: Steps, path: str = "/orders/5") -> list[int]:
    """Run ``steps(settle)`` while 8 workers call the partner continuously; ``settle()`` waits until every
    call in flight when it was called has finished and 16 more have completed. Returns every status."""
    statuses: list[int] = []
    in_flight: set[int] = set()
    done = anyio.Event()

    async def worker(w: int) -> None:
        n = 0
        while not done.is_set():
            n += 1
            in_flight.add(w * 1_000_000 + n)
            statuses.append((await call(app, "GET", path)).status)
            in_flight.discard(w * 1_000_000 + n)

    async def settle() -> None:
        pending, target = set(in_flight), len(statuses) + 16
        with anyio.fail_after(30):
            while pending & in_flight or len(statuses) < target:
                await anyio.sleep(0.01)

    async with anyio.create_task_group() as tg:
        for w in range(8):
            tg.start_soon(worker, w)
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


async def test_client_certificate_rotation_drops_nothing(pki: Pki, store: SecretStore, apps: Apps) -> None:
    mtls_partner = FakePartner()
    with serve(mtls_partner.app(), pki, require_client_cert=True) as mtls_port:
        tls = {"ca": str(pki.ca), "client_cert": str(pki.client_cert), "client_key": "${secret:partner.client_key}"}
        app = await apps(pki, mtls_port, store, tls=tls)

        async def rotate(settle: Callable[[], Awaitable[None]]) -> None:
            await store.rotate("partner.client_key", pki.client_key_pem, actor="ops")  # re-issued key material
            await app.service.reload_tls("partner")  # new connections use it; calls in flight finish

        statuses = await _under_traffic(app, rotate)
        assert set(statuses) == {200}
        await apps.aclose()
        apps.built.clear()
