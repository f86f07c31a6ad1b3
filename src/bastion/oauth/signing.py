"""Signing keys of the authorization server: generation, encryption at rest, rotation with overlap.

Private keys are stored only as AES-256-GCM ciphertext under the master key (``bastion.secrets.crypto``),
bound to their ``kid`` as associated data. Rotation makes a new key active and retires the old one; the
retired public key stays in the JWKS until ``remove_after`` (retirement + token lifetime + leeway), so
every token it signed can still be verified until it expires, and not a moment longer.
"""

from __future__ import annotations

import json
from typing import Any

from joserfc import jwk

from bastion.clock import Clock
from bastion.oauth.config import SigningSettings
from bastion.oauth.store import AuthStore, KeyRecord
from bastion.secrets.crypto import MasterKey

PrivateKey = jwk.ECKey | jwk.OKPKey
RELOAD_SECONDS = 5.0
LEEWAY = 60.0


def _aad(kid: str) -> bytes:
    return b"bastion-oauth-signing-key:" + kid.encode()


class SigningKeyRing:
    def __init__(self, store: AuthStore, master: MasterKey, clock: Clock, settings: SigningSettings,
                 token_ttl: float) -> None:
        self.store = store
        self.master = master
        self.clock = clock
        self.settings = settings
        self.token_ttl = token_ttl
        self._records: list[KeyRecord] = []
        self._loaded_at = float("-inf")
        self._private: dict[str, PrivateKey] = {}

    async def records(self, fresh: bool = False) -> list[KeyRecord]:
        now = self.clock.monotonic()
        if fresh or now - self._loaded_at >= RELOAD_SECONDS:
            self._records = await self.store.list_keys()
            self._loaded_at = now
        return self._records

    async def refresh(self, min_age: float) -> None:
        """Re-read the key table if the cached copy is older than ``min_age`` seconds (another process
        may have rotated)."""
        if self.clock.monotonic() - self._loaded_at >= min_age:
            await self.records(fresh=True)

    async def active(self) -> tuple[KeyRecord, PrivateKey]:
        """The current signing key; creates the first one, and rotates on the configured schedule."""
        current = [r for r in await self.records() if r.retired_at is None]
        if not current:
            current = [r for r in await self.records(fresh=True) if r.retired_at is None]
        now = self.clock.now()
        if not current or now - current[-1].created_at >= self.settings.rotate_every_days * 86400:
            record = await self.rotate()
        else:
            record = current[-1]
        return record, self._decrypt(record)

    async def rotate(self) -> KeyRecord:
        now = self.clock.now()
        key: PrivateKey
        if self.settings.algorithm == "Ed25519":
            key = jwk.OKPKey.generate_key("Ed25519", private=True)
        else:
            key = jwk.ECKey.generate_key("P-256", private=True)
        kid = key.thumbprint()
        public = {**key.as_dict(private=False), "kid": kid, "use": "sig", "alg": self.settings.algorithm}
        blob = self.master.wrap(json.dumps(key.as_dict(private=True)).encode(), _aad(kid))
        record = KeyRecord(kid, self.settings.algorithm, public, blob, now)
        old = [r for r in await self.records(fresh=True) if r.retired_at is None]
        await self.store.put_key(record)
        for r in old:
            await self.store.retire_key(r.kid, now, now + self.token_ttl + LEEWAY)
        await self.records(fresh=True)
        return record

    async def jwks(self) -> dict[str, Any]:
        """Public keys still needed: the active key and retired keys whose tokens may not have expired."""
        now = self.clock.now()
        keys = [r.public_jwk for r in await self.records()
                if r.remove_after is None or r.remove_after > now]
        return {"keys": keys}

    async def public_key(self, kid: str) -> jwk.ECKey | jwk.OKPKey | None:
        now = self.clock.now()
        for r in await self.records():
            if r.kid == kid and (r.remove_after is None or r.remove_after > now):
                key = jwk.import_key(r.public_jwk)
                return key if isinstance(key, (jwk.ECKey, jwk.OKPKey)) else None
        return None

    def _decrypt(self, record: KeyRecord) -> PrivateKey:
        key = self._private.get(record.kid)
        if key is None:
            data = json.loads(self.master.unwrap(record.private_blob, _aad(record.kid)))
            imported = jwk.import_key({**data, "kid": record.kid})
            assert isinstance(imported, (jwk.ECKey, jwk.OKPKey))
            key = self._private[record.kid] = imported
        return key

    def __repr__(self) -> str:
        return f"SigningKeyRing(alg={self.settings.algorithm!r}, keys={len(self._records)})"
