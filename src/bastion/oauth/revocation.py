"""Revocations, ``jti`` replay memory and failure counters shared through Redis (several instances).

``RedisRevocationList`` answers from a per-process cache for at most ``freshness`` seconds (0.5 s by
default), so a revocation made on any instance is honoured everywhere within 1 s while a hot token costs
one Redis round trip per half second, not one per request. The memory variants live in ``tokens`` (the
revocation list) and here (``MemoryOnce``, ``MemoryCounter``) for the single-process default.
"""

from __future__ import annotations

from typing import Any, Protocol

from redis.exceptions import RedisError

from bastion.clock import Clock
from bastion.tokens.cache import TtlMemo
from bastion.tokens.errors import StateUnavailable


class RedisRevocationList:
    def __init__(self, redis: Any, prefix: str, clock: Clock, freshness: float = 0.5) -> None:
        self.redis = redis
        self.prefix = prefix + "revoked:"
        self.clock = clock
        self._seen: TtlMemo[bool] = TtlMemo(freshness)

    async def is_revoked(self, jti: str) -> bool:
        now = self.clock.monotonic()
        fresh, known = self._seen.get(jti, now)
        if fresh:
            return bool(known)
        try:
            revoked = bool(await self.redis.exists(self.prefix + jti))
        except (RedisError, OSError) as exc:
            raise StateUnavailable(type(exc).__name__) from None
        self._seen.put(jti, now, revoked)
        return revoked

    async def revoke(self, jti: str, until: float) -> None:
        ttl = max(1, int(until - self.clock.now()) + 1)
        await self.redis.set(self.prefix + jti, b"1", ex=ttl)
        self._seen.forget(jti)


class OnceStore(Protocol):
    async def first_use(self, key: str, until: float) -> bool:
        """True the first time ``key`` is seen (remembered until ``until``), False on every replay."""
        ...


class MemoryOnce:
    def __init__(self, clock: Clock, max_entries: int = 100_000) -> None:
        self.clock = clock
        self.max_entries = max_entries
        self._seen: dict[str, float] = {}

    async def first_use(self, key: str, until: float) -> bool:
        now = self.clock.now()
        if len(self._seen) >= self.max_entries:
            self._seen = {k: v for k, v in self._seen.items() if v > now}
        if self._seen.get(key, 0.0) > now:
            return False
        self._seen[key] = until
        return True


class RedisOnce:
    def __init__(self, redis: Any, prefix: str, clock: Clock) -> None:
        self.redis = redis
        self.prefix = prefix + "once:"
        self.clock = clock

    async def first_use(self, key: str, until: float) -> bool:
        ttl = max(1, int(until - self.clock.now()) + 1)
        return bool(await self.redis.set(self.prefix + key, b"1", ex=ttl, nx=True))


class FailureCounter(Protocol):
    async def count(self, key: str) -> int: ...

    async def record(self, key: str, window: float) -> int: ...


class MemoryCounter:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._counts: dict[str, tuple[float, int]] = {}

    async def count(self, key: str) -> int:
        until, n = self._counts.get(key, (0.0, 0))
        return n if self.clock.monotonic() < until else 0

    async def record(self, key: str, window: float) -> int:
        now = self.clock.monotonic()
        until, n = self._counts.get(key, (0.0, 0))
        if now >= until:
            until, n = now + window, 0
        self._counts[key] = (until, n + 1)
        return n + 1


class RedisCounter:
    def __init__(self, redis: Any, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix + "authfail:"

    async def count(self, key: str) -> int:
        value = await self.redis.get(self.prefix + key)
        return int(value or 0)

    async def record(self, key: str, window: float) -> int:
        pipe = self.redis.pipeline(transaction=True)
        pipe.incr(self.prefix + key)
        pipe.expire(self.prefix + key, max(1, int(window)), nx=True)
        n, _ = await pipe.execute()
        return int(n)
