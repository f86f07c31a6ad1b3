"""The shared blocklist: identities (``ip:…``, ``sub:…``, ``client:…``, ``key:…``) blocked until a time.

``MemoryBlocklist`` for one instance; ``RedisBlocklist`` shares blocks between instances (one key per
block with a Redis TTL, so expiry needs no sweeper). The gateway checks before routing (by client IP)
and again after authentication (by identity); see ``observability/guard.py``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

import orjson

from bastion.clock import SYSTEM_CLOCK, Clock


@dataclass(frozen=True, slots=True)
class Block:
    key: str
    reason: str
    created_at: float
    until: float
    source: str = "anomaly"
    """``anomaly:<detector>`` or ``admin``."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Blocklist(Protocol):
    async def add(self, block: Block) -> None: ...

    async def get(self, key: str) -> Block | None: ...

    async def lift(self, key: str) -> bool: ...

    async def list(self) -> list[Block]: ...


class MemoryBlocklist:
    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self.clock = clock
        self._blocks: dict[str, Block] = {}

    @property
    def blocking(self) -> bool:
        """Whether any block is held (expired ones included until looked up or listed)."""
        return bool(self._blocks)

    def add_now(self, block: Block) -> None:
        self._blocks[block.key] = block

    async def add(self, block: Block) -> None:
        self.add_now(block)

    def get_now(self, key: str) -> Block | None:
        block = self._blocks.get(key)
        if block is not None and block.until <= self.clock.now():
            del self._blocks[key]
            return None
        return block

    async def get(self, key: str) -> Block | None:
        return self.get_now(key)

    async def lift(self, key: str) -> bool:
        return self._blocks.pop(key, None) is not None

    async def list(self) -> list[Block]:
        now = self.clock.now()
        return sorted((b for b in self._blocks.values() if b.until > now), key=lambda b: b.created_at)


class RedisBlocklist:
    """Blocks in Redis under ``<prefix>block:<key>`` with a TTL; lookups cached for ``cache_ttl`` seconds."""

    def __init__(self, redis: Any, prefix: str = "bastion:", clock: Clock = SYSTEM_CLOCK,
                 cache_ttl: float = 1.0) -> None:
        self.redis, self.prefix, self.clock, self.cache_ttl = redis, prefix + "block:", clock, cache_ttl
        self._cache: dict[str, tuple[float, Block | None]] = {}

    async def add(self, block: Block) -> None:
        ttl_ms = max(1, int((block.until - self.clock.now()) * 1000))
        await self.redis.set(self.prefix + block.key, orjson.dumps(block.to_dict()), px=ttl_ms)
        self._cache.pop(block.key, None)

    async def get(self, key: str) -> Block | None:
        now = self.clock.monotonic()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        raw = await self.redis.get(self.prefix + key)
        block = Block(**orjson.loads(raw)) if raw else None
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[key] = (now + self.cache_ttl, block)
        return block

    async def lift(self, key: str) -> bool:
        self._cache.pop(key, None)
        return bool(await self.redis.delete(self.prefix + key))

    async def list(self) -> list[Block]:
        blocks: list[Block] = []
        async for name in self.redis.scan_iter(match=self.prefix + "*", count=500):
            raw = await self.redis.get(name)
            if raw:
                blocks.append(Block(**orjson.loads(raw)))
        return sorted(blocks, key=lambda b: b.created_at)
