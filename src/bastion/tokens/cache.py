"""A bounded cache of verification results, keyed by the token's hash AND the route's requirements.

The requirement fingerprint (issuer, audiences, algorithms, scopes, binding...) is part of the key, so a
token verified for a lenient route is never reused on a stricter one (Oathkeeper CVE-2021-32701). An entry
never outlives the token's ``exp`` nor ``max_ttl``; the oldest entries are evicted first when full. Only
the SHA-256 of a token is stored, never the token.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("latin-1", "replace")).digest()


class VerifiedCache(Generic[T]):
    def __init__(self, max_entries: int = 10000, max_ttl: float = 300.0) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be positive")
        self.max_entries = max_entries
        self.max_ttl = max_ttl
        self._entries: OrderedDict[tuple[bytes, str], tuple[float, T]] = OrderedDict()
        self.hits = 0
        self.misses = 0
        """Lookup counts, read by the metrics collector at scrape time."""

    def get(self, digest: bytes, requirements: str, now: float) -> T | None:
        """The cached value, if present and ``now`` (wall clock) is before its expiry."""
        entry = self._entries.get((digest, requirements))
        if entry is None:
            self.misses += 1
            return None
        if now >= entry[0]:
            del self._entries[(digest, requirements)]
            self.misses += 1
            return None
        self.hits += 1
        return entry[1]

    def put(self, digest: bytes, requirements: str, value: T, exp: float, now: float) -> None:
        until = min(exp, now + self.max_ttl)
        if until <= now:
            return
        key = (digest, requirements)
        self._entries[key] = (until, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def discard(self, digest: bytes) -> None:
        for key in [k for k in self._entries if k[0] == digest]:
            del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"VerifiedCache(entries={len(self._entries)}, max_entries={self.max_entries})"


class TtlMemo(Generic[T]):
    """Remember a lookup's answer for ``ttl`` seconds (monotonic), e.g. "is this jti revoked?", so a hot key
    costs one backend round trip per ``ttl`` rather than one per request. Cleared wholesale when full."""

    def __init__(self, ttl: float, max_entries: int = 100_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, T]] = {}

    def get(self, key: str, now: float) -> tuple[bool, T | None]:
        """``(True, value)`` when fresh, else ``(False, None)``."""
        hit = self._entries.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return True, hit[1]
        return False, None

    def put(self, key: str, now: float, value: T) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (now, value)

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)
