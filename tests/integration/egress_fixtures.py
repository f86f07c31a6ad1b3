"""Fixtures shared by the test_egress_* modules, loaded with ``pytest_plugins = ["egress_fixtures"]``:
``pki`` (module-scoped test PKI), ``partner`` (a FakePartner), ``port`` (it served over TLS on 127.0.0.1),
``apps`` (builds egress apps and closes their pools) and ``store`` (a SQLite secret store with the
partner's client secret, API key and mTLS client key)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from egress_fakes import Apps, FakePartner, Pki, make_pki, serve

from bastion.secrets.backend import SqlSecretBackend
from bastion.secrets.crypto import MasterKey
from bastion.secrets.sql import SqliteDriver
from bastion.secrets.store import SecretStore


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def partner() -> FakePartner:
    return FakePartner()


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
async def store(tmp_path: Path, pki: Pki) -> AsyncIterator[SecretStore]:
    """A SQLite secret store holding the partner's client secret, API key and mTLS client key (v1 each)."""
    backend = SqlSecretBackend(SqliteDriver(tmp_path / "secrets.db"))
    await backend.setup()
    st = SecretStore(backend, MasterKey(os.urandom(32)), default_overlap=300.0)
    await st.set("partner.client_secret", "secret-v1", actor="test")
    await st.set("partner.api_key", "key-v1", actor="test")
    await st.set("partner.client_key", pki.client_key_pem, actor="test")
    yield st
    await backend.driver.close()
