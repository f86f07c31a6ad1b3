"""The ``secrets:`` configuration section and how to open the store it describes.

```yaml
secrets:
  store: sqlite:.bastion/secrets.db          # default; postgresql://… when several instances share it
  master_key: ${env:BASTION_MASTER_KEY}      # a reference, never the key itself
  previous_master_keys: [${file:/run/keys/old-master}]   # still readable during a master-key rotation
  rotation: {max_age: 90d, warn_window: 14d, overlap: 1h}
  policies:
    partner.client_secret: {max_age: 30d, warn_window: 7d}
  rotation_check: 1h                         # audit events for overdue / soon-due secrets (and at start)
```

``secret_lookup`` resolves ``${secret:NAME}`` for synchronous callers (the config loader, possibly
inside a running event loop): it reads the store on a short-lived worker thread with its own loop.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.config.units import Duration
from bastion.secrets.backend import SqlSecretBackend
from bastion.secrets.crypto import MasterKey
from bastion.secrets.model import RotationPolicy
from bastion.secrets.references import SecretLookup, is_reference, resolve_reference
from bastion.secrets.sql import open_driver
from bastion.secrets.store import SecretStore


class RotationPolicyConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    max_age: Duration | None = None
    """Rotate at least this often; older current versions are reported as overdue."""
    warn_window: Duration | None = None
    """Report a secret as due soon this long before it is due."""
    overlap: Duration | None = None
    """How long the previous version stays usable after a rotation (no dropped requests meanwhile)."""

    def policy(self) -> RotationPolicy:
        return RotationPolicy(self.max_age, self.warn_window, self.overlap)


class SecretsSection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    store: str = "sqlite:.bastion/secrets.db"
    """``sqlite:PATH`` (relative to the config file) or a ``postgresql://`` DSN."""
    master_key: str = "${env:BASTION_MASTER_KEY}"
    """Reference (``${env:…}``/``${file:…}``) to a 32-byte key, base64 or hex. Never write the key here."""
    previous_master_keys: list[str] = Field(default_factory=list)
    """References to master keys being rotated out; data keys they wrap stay readable."""
    table_prefix: str = "bastion_secret_"
    rotation: RotationPolicyConfig = RotationPolicyConfig(max_age=90 * 86400.0, warn_window=14 * 86400.0,
                                                          overlap=3600.0)
    """The default rotation policy."""
    policies: dict[str, RotationPolicyConfig] = Field(default_factory=dict)
    """Per-secret overrides of the default rotation policy."""
    rotation_check: Duration = 3600.0
    """How often the gateway writes an audit event for each overdue or soon-due secret (also at start).
    The ``bastion_secret_*`` gauges are refreshed every minute regardless."""

    @field_validator("master_key")
    @classmethod
    def _must_be_reference(cls, value: str) -> str:
        if not is_reference(value):
            raise ValueError("must be a reference such as ${env:BASTION_MASTER_KEY} or ${file:PATH}")
        return value

    @field_validator("previous_master_keys")
    @classmethod
    def _all_references(cls, values: list[str]) -> list[str]:
        for v in values:
            cls._must_be_reference(v)
        return values

    def __repr__(self) -> str:
        store = self.store.split("@")[-1]
        return f"SecretsSection(store={store!r})"


async def open_store(
    section: SecretsSection, *, base_dir: Path | None = None, clock: Clock = SYSTEM_CLOCK
) -> SecretStore:
    """Resolve the master keys, open the database and create the tables if needed."""
    master = MasterKey.parse(resolve_reference(section.master_key, base_dir=base_dir))
    previous = [MasterKey.parse(resolve_reference(ref, base_dir=base_dir))
                for ref in section.previous_master_keys]
    backend = SqlSecretBackend(open_driver(section.store, base_dir), section.table_prefix)
    await backend.setup()
    rotation = section.rotation
    store = SecretStore(backend, master, previous_masters=previous, clock=clock,
                        default_policy=rotation.policy(), default_overlap=rotation.overlap or 0.0)
    for name, cfg in section.policies.items():
        await backend.set_policy(name, cfg.policy())
    return store


def read_secret_values(
    section: SecretsSection, names: list[str], base_dir: Path | None = None
) -> dict[str, str]:
    """Current values of ``names`` (raises ``SecretNotFound`` for a missing one)."""

    async def fetch() -> dict[str, str]:
        store = await open_store(section, base_dir=base_dir)
        try:
            return {n: (await store.get(n)).value.reveal() for n in names}
        finally:
            await store.backend.driver.close()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-secrets") as pool:
        return pool.submit(asyncio.run, fetch()).result()


def secret_lookup(section: SecretsSection, base_dir: Path | None = None) -> SecretLookup:
    """A lookup function for config loading; each value is read once and memoised for this load."""
    cache: dict[str, str] = {}

    def lookup(name: str) -> str:
        if name not in cache:
            cache.update(read_secret_values(section, [name], base_dir))
        return cache[name]

    return lookup
