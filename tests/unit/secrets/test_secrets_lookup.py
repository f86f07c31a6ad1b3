"""Unit: ${secret:NAME} resolution for the (synchronous) config loader, from a SQLite file store."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from bastion.secrets.config import SecretsSection, open_store, secret_lookup
from bastion.secrets.crypto import MasterKey
from bastion.secrets.references import resolve_reference
from bastion.secrets.store import SecretNotFound


@pytest.fixture
def section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SecretsSection:
    monkeypatch.setenv("T_LOOKUP_MASTER", MasterKey.generate_text())
    sec = SecretsSection(store=f"sqlite:{tmp_path}/s.db", master_key="${env:T_LOOKUP_MASTER}")

    async def seed() -> None:
        store = await open_store(sec)
        await store.set("db.password", "pw-1", actor="t")
        await store.rotate("db.password", "pw-2", actor="t")
        await store.backend.driver.close()

    anyio.run(seed)
    return sec


def test_config_reference_resolves_to_current_version(section: SecretsSection) -> None:
    lookup = secret_lookup(section)
    assert resolve_reference("${secret:db.password}", secret_lookup=lookup) == "pw-2"


def test_lookup_works_inside_a_running_event_loop(section: SecretsSection) -> None:
    async def inside() -> str:
        return resolve_reference("${secret:db.password}", secret_lookup=secret_lookup(section))

    assert anyio.run(inside) == "pw-2"


def test_missing_secret_is_an_error_naming_it(section: SecretsSection) -> None:
    with pytest.raises(SecretNotFound, match="nope"):
        resolve_reference("${secret:nope}", secret_lookup=secret_lookup(section))
