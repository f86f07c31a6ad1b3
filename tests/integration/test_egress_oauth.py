"""Integration: OAuth client-credentials injection against a fake partner over real TLS on loopback —
token caching, single-flight refresh, 401 retry with a fresh token, caller credentials stripped."""

from __future__ import annotations

import anyio
import orjson
import pytest
from egress_fakes import Apps, AuditList, FakePartner, Pki, call

from bastion.secrets.store import SecretStore

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
pytest_plugins = ["egress_fixtures"]  # fixtures: pki, partner, port, apps, store


async def test_token_is_fetched_once_and_cached(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit)
    for _ in range(5):
        resp = await call(app, "GET", "/orders/42")
        assert resp.status == 200, resp.body
    assert partner.token_requests == 1 and partner.api_requests == 5
    assert audit[-1]["credential"] == {"kind": "oauth2", "version": "partner.client_secret@v1"}


async def test_single_flight_refresh_for_many_concurrent_callers(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    partner.token_delay = 0.2
    app = await apps(pki, port, store, timeouts={"connect": "15s", "total": "20s"})  # 100 TLS handshakes on a busy box
    statuses: list[int] = []

    async def one() -> None:
        statuses.append((await call(app, "GET", "/orders/7")).status)

    async with anyio.create_task_group() as tg:
        for _ in range(200):
            tg.start_soon(one)
    assert statuses == [200] * 200
    assert partner.token_requests == 1


async def test_expired_token_gets_401_then_one_fresh_token_and_retry(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit)
    assert (await call(app, "GET", "/orders/1")).status == 200
    partner.expire_all_tokens()  # the partner forgets tokens before the lifetime it announced

    async def one() -> None:
        assert (await call(app, "GET", "/orders/2")).status == 200

    async with anyio.create_task_group() as tg:
        for _ in range(20):
            tg.start_soon(one)
    assert partner.token_requests == 2
    assert any(r["retried"] for r in audit)


async def test_short_lived_tokens_are_refreshed_before_expiry(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    partner.token_lifetime, partner.expires_in = 1.2, 1
    app = await apps(pki, port, store)
    for _ in range(3):
        assert (await call(app, "GET", "/orders/1")).status == 200
        await anyio.sleep(0.6)
    assert partner.unauthorized == 0 and partner.token_requests >= 2


async def test_caller_credentials_are_stripped_and_never_see_partner_token(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    app = await apps(pki, port, store)
    resp = await call(app, "POST", "/charges", body=b'{"amount": 5}',
                      headers=(("authorization", "Bearer caller-token"), ("cookie", "sid=caller"),
                               ("x-api-key", "caller-key"), ("content-type", "application/json")))
    assert resp.status == 200
    seen = partner.seen_headers[-1]
    assert seen["authorization"] != "Bearer caller-token" and seen["authorization"].startswith("Bearer ")
    assert "cookie" not in seen and "x-api-key" not in seen and "x-bastion-egress-caller" not in seen
    token = seen["authorization"][7:]
    assert token.encode() not in resp.body and all(token not in v for _, v in resp.headers)


async def test_wrong_client_secret_gives_502_without_internals(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    partner.client_secrets = {"something-else"}
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit)
    resp = await call(app, "GET", "/orders/1")
    problem = orjson.loads(resp.body)
    assert resp.status == 502 and problem["detail"] == "partner 'partner' is unavailable"
    assert "secret-v1" not in resp.body.decode() + str(audit)
    assert audit[-1]["outcome"] == "credential-unavailable"
