"""The revocation port: has this token (by ``jti``) been revoked? Memory implementation here; the
Redis implementation shared by several gateway instances is ``bastion.oauth.revocation``."""

from __future__ import annotations

from typing import Protocol

from bastion.clock import Clock


class RevocationList(Protocol):
    async def is_revoked(self, jti: str) -> bool: ...

    async def revoke(self, jti: str, until: float) -> None:
        """Remember ``jti`` as revoked until ``until`` (wall clock; the token's ``exp``)."""
        ...


class MemoryRevocationList:
    """One process only. Entries are dropped once the token would have expired anyway."""

    def __init__(self, clock: Clock, max_entries: int = 100_000) -> None:
        self.clock = clock
        self.max_entries = max_entries
        self._revoked: dict[str, float] = {}

    async def is_revoked(self, jti: str) -> bool:
        until = self._revoked.get(jti)
        if until is None:
            return False
        if self.clock.now() >= until:
            del self._revoked[jti]
            return False
        return True

    async def revoke(self, jti: str, until: float) -> None:
        now = self.clock.now()
        if len(self._revoked) >= self.max_entries:
            self._revoked = {k: v for k, v in self._revoked.items() if v > now}
        self._revoked[jti] = until
