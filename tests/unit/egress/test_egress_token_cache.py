"""Unit: the single-flight token cache on a FakeClock with a recording fake token endpoint."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.lowlevel
import orjson
import pytest

from bastion.egress.client import PartnerResponse
from bastion.egress.config import OAuth2Credential
from bastion.egress.credential_source import CredentialSource
from bastion.egress.errors import CredentialUnavailable
from bastion.egress.oauth import TokenSource
from bastion.secrets.backend import SqlSecretBackend
from bastion.secrets.crypto import MasterKey
from bastion.secrets.sql import SqliteDriver
from bastion.secrets.store import SecretStore
from bastion.testing.clock import FakeClock

pytestmark = pytest.mark.anyio


class FakeTokenEndpoint:
    """Stands in for PartnerClient.send: answers token requests, recording each one."""

    def __init__(self, accepted: set[str], expires_in: Any = 100) -> None:
        self.accepted = accepted
        self.expires_in = expires_in
        self.requests: list[bytes] = []
        self.n = 0

    async def send(self, method: str, url: str, headers: list[tuple[str, str]], body: bytes,
                   max_bytes: int, *, retry_safe: bool | None = None) -> PartnerResponse:
        assert retry_safe is True  # a token request may be sent twice when its connection fails
        self.requests.append(body)
        await anyio.lowlevel.checkpoint()
        if not any(s.encode() in body for s in self.accepted):
            return PartnerResponse(401, [], b'{"error": "invalid_client"}')
        self.n += 1
        doc = {"access_token": f"tok-{self.n}", "token_type": "Bearer", "expires_in": self.expires_in}
        return PartnerResponse(200, [("content-type", "application/json")], orjson.dumps(doc))


@pytest.fixture
async def store() -> AsyncIterator[SecretStore]:
    backend = SqlSecretBackend(SqliteDriver(":memory:"))
    await backend.setup()
    st = SecretStore(backend, MasterKey(os.urandom(32)), clock=FakeClock())
    await st.set("cs", "secret-1", actor="t")
    yield st
    await backend.driver.close()


def _source(store: SecretStore, endpoint: FakeTokenEndpoint) -> tuple[TokenSource, FakeClock]:
    clock = store.clock
    assert isinstance(clock, FakeClock)
    cfg = OAuth2Credential(kind="oauth2", token_url="https://auth.test/token", client_id="c",
                           client_secret="${secret:cs}", auth_method="client_secret_post", refresh_before=10)
    creds = CredentialSource(store, clock=clock, ttl=0)
    return TokenSource("p", cfg, endpoint, creds, clock), clock  # type: ignore[arg-type]


async def test_caches_until_refresh_margin(store: SecretStore) -> None:
    endpoint = FakeTokenEndpoint({"secret-1"})
    tokens, clock = _source(store, endpoint)
    first = await tokens.token()
    clock.advance(89)
    assert await tokens.token() is first
    clock.advance(2)  # inside the 10 s margin before expiry
    assert (await tokens.token()).access_token.reveal() == "tok-2"
    assert len(endpoint.requests) == 2 and first.secret_version == "cs@v1"


async def test_concurrent_callers_share_one_fetch(store: SecretStore) -> None:
    endpoint = FakeTokenEndpoint({"secret-1"})
    tokens, _ = _source(store, endpoint)
    got: list[str] = []

    async def one() -> None:
        got.append((await tokens.token()).access_token.reveal())

    async with anyio.create_task_group() as tg:
        for _ in range(1000):
            tg.start_soon(one)
    assert set(got) == {"tok-1"} and len(endpoint.requests) == 1


async def test_after_unauthorized_refreshes_once_for_the_same_stale_token(store: SecretStore) -> None:
    endpoint = FakeTokenEndpoint({"secret-1"})
    tokens, _ = _source(store, endpoint)
    stale = await tokens.token()
    fresh = [await tokens.after_unauthorized(stale) for _ in range(3)]
    assert {t.access_token.reveal() for t in fresh} == {"tok-2"} and len(endpoint.requests) == 2


async def test_falls_back_to_previous_secret_version_during_overlap(store: SecretStore) -> None:
    await store.rotate("cs", "secret-2", actor="t", overlap=60)
    endpoint = FakeTokenEndpoint({"secret-1"})  # the partner does not know secret-2 yet
    tokens, _ = _source(store, endpoint)
    tok = await tokens.token()
    assert tok.secret_version == "cs@v1" and len(endpoint.requests) == 2


@pytest.mark.parametrize("doc_expires", ["soon", True, -5, 10**9])
async def test_odd_expires_in_is_clamped(store: SecretStore, doc_expires: Any) -> None:
    tokens, clock = _source(store, FakeTokenEndpoint({"secret-1"}, expires_in=doc_expires))
    tok = await tokens.token()
    assert clock.monotonic() < tok.refresh_at <= clock.monotonic() + 86400


async def test_rejected_client_gives_credential_unavailable_without_secret(store: SecretStore) -> None:
    tokens, _ = _source(store, FakeTokenEndpoint(set()))
    with pytest.raises(CredentialUnavailable) as info:
        await tokens.token()
    assert "secret-1" not in str(info.value) and "invalid_client" in str(info.value)
