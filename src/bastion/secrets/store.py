"""The secret store service: envelope-encrypted, versioned secrets with rotation overlap.

``SecretStore`` sits over a ``SqlSecretBackend`` and holds the master key (and any previous master
keys still needed during a master-key rotation). Values leave it only as masked ``Secret`` objects
inside ``SecretVersion``; everything else it returns is ``SecretMeta``.

Rotating a secret adds a new version and gives the previous ones an end of life ``overlap`` seconds
later, so consumers that still hold (or fall back to) the old value keep working during the change.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import anyio

from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.errors import SecretError
from bastion.secrets.backend import SqlSecretBackend
from bastion.secrets.crypto import MasterKey, key_aad, open_value, seal_value, value_aad
from bastion.secrets.model import RotationPolicy, SecretMeta, SecretVersion, VersionRow
from bastion.secrets.references import SECRET_NAME, Secret
from bastion.secrets.rotation import RotationStatus, assess_all
from bastion.secrets.sql import DuplicateRow

MAX_VALUE_BYTES = 64 * 1024


class SecretNotFound(SecretError):
    """No usable version of the named secret exists."""


class SecretStore:
    def __init__(
        self,
        backend: SqlSecretBackend,
        master: MasterKey,
        *,
        previous_masters: Sequence[MasterKey] = (),
        clock: Clock = SYSTEM_CLOCK,
        default_policy: RotationPolicy = RotationPolicy(),
        default_overlap: float = 3600.0,
    ) -> None:
        self.backend = backend
        self.master = master
        self._masters = {m.kid: m for m in (master, *previous_masters)}
        self.clock = clock
        self.default_policy = default_policy
        self.default_overlap = default_overlap
        self._write_lock = anyio.Lock()

    def __repr__(self) -> str:
        return f"<SecretStore {self.backend.versions} master={self.master.kid}>"

    async def set(
        self,
        name: str,
        value: str,
        *,
        actor: str,
        expires_in: float | None = None,
        overlap: float | None = None,
        policy: RotationPolicy | None = None,
    ) -> SecretMeta:
        """Store a new version of ``name`` (the first, or a rotation) and return its metadata."""
        _check_name(name)
        data = value.encode()
        if not data or len(data) > MAX_VALUE_BYTES:
            raise SecretError(f"secret {name!r}: value must be 1..{MAX_VALUE_BYTES} bytes")
        if policy is not None:
            await self.backend.set_policy(name, policy)
        async with self._write_lock:  # one writer per instance; DuplicateRow covers other instances
            return await self._insert_next(name, data, actor, expires_in, overlap)

    async def _insert_next(
        self, name: str, data: bytes, actor: str, expires_in: float | None, overlap: float | None
    ) -> SecretMeta:
        for attempt in range(20):
            if attempt:
                await anyio.sleep(random.uniform(0.001, 0.02))
            version = await self.backend.latest_version(name) + 1
            now = self.clock.now()
            data_key, blob = seal_value(data, value_aad(name, version))
            row = VersionRow(
                name, version, now, None if expires_in is None else now + expires_in, actor, None,
                self.master.kid, self.master.wrap(data_key, key_aad(name, version)), blob,
            )
            try:
                await self.backend.insert(row)
            except DuplicateRow:
                continue
            if version > 1:
                keep = overlap if overlap is not None else await self._overlap(name)
                await self.backend.retire_older(name, version, now + keep)
            return row.meta()
        raise SecretError(f"secret {name!r}: too many concurrent writers")

    async def rotate(self, name: str, value: str, *, actor: str, overlap: float | None = None) -> SecretMeta:
        """Like ``set`` but the secret must already exist."""
        if await self.backend.latest_version(name) == 0:
            raise SecretNotFound(f"secret {name!r} does not exist")
        return await self.set(name, value, actor=actor, overlap=overlap)

    async def get(self, name: str, version: int | None = None) -> SecretVersion:
        """The newest usable version (or the given version, if still usable)."""
        usable = await self.usable(name)
        for item in usable:
            if version is None or item.meta.version == version:
                return item
        raise SecretNotFound(f"secret {name!r}" + (f" version {version}" if version else "") + " not found")

    async def usable(self, name: str) -> list[SecretVersion]:
        """Every usable version, newest first: the current one, then those still in their overlap."""
        now = self.clock.now()
        rows = [r for r in await self.backend.rows(name) if r.meta().usable_at(now)]
        return [self._decrypt(r) for r in sorted(rows, key=lambda r: -r.version)]

    async def current(self) -> list[SecretMeta]:
        """The newest version of every secret."""
        return await self.backend.current()

    async def versions(self, name: str) -> list[SecretMeta]:
        return [r.meta() for r in await self.backend.rows(name)]

    async def delete(self, name: str) -> int:
        return await self.backend.delete(name)

    async def policies(self) -> dict[str, RotationPolicy]:
        return await self.backend.policies_by_name()

    async def rotation_status(self) -> list[RotationStatus]:
        """Rotation state of the current version of every secret (see ``secrets/rotation.py``)."""
        return assess_all(await self.current(), await self.policies(), self.default_policy, self.clock.now())

    async def rotate_master(self, new_master: MasterKey) -> int:
        """Re-wrap every data key under ``new_master``; values are not re-encrypted. Returns the count."""
        self._masters[new_master.kid] = new_master
        count = 0
        for row in await self.backend.rows():
            if row.master_kid == new_master.kid:
                continue
            data_key = self._master_for(row).unwrap(row.wrapped_key, key_aad(row.name, row.version))
            wrapped = new_master.wrap(data_key, key_aad(row.name, row.version))
            await self.backend.rewrap(row.name, row.version, new_master.kid, wrapped)
            count += 1
        self.master = new_master
        return count

    def _master_for(self, row: VersionRow) -> MasterKey:
        master = self._masters.get(row.master_kid)
        if master is None:
            raise SecretError(f"secret {row.name!r}: its master key {row.master_kid} is not loaded")
        return master

    def _decrypt(self, row: VersionRow) -> SecretVersion:
        data_key = self._master_for(row).unwrap(row.wrapped_key, key_aad(row.name, row.version))
        value = open_value(data_key, row.ciphertext, value_aad(row.name, row.version))
        return SecretVersion(row.meta(), Secret(value.decode()))

    async def _overlap(self, name: str) -> float:
        policy = (await self.backend.policies_by_name()).get(name)
        if policy is not None and policy.overlap is not None:
            return policy.overlap
        return self.default_overlap


def _check_name(name: str) -> None:
    if not SECRET_NAME.match(name):
        raise SecretError("secret names are 1-128 characters: letters, digits, '_', '.', '-', '/'")
