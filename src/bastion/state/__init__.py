"""Shared state backend handle: in-process memory (one instance) or Redis (several instances).

The gateway builds one ``StateBackend`` from the top-level ``state:`` setting and hands it to every
policy as ``deps.services["state"]``. Capabilities keep their own data structures: in memory when
``backend.redis is None``, else in Redis under ``backend.prefix`` (atomic Lua scripts, one round
trip per decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class StateBackend:
    url: str = "memory"
    redis: Any = None
    """A ``redis.asyncio.Redis`` client (decode_responses=False) or None for memory."""
    prefix: str = "bastion:"

    @property
    def kind(self) -> str:
        return "memory" if self.redis is None else "redis"


def build_state(url: str = "memory", prefix: str = "bastion:") -> StateBackend:
    """Create the backend; for Redis the client connects lazily on first use."""
    if url in ("", "memory"):
        return StateBackend("memory", None, prefix)
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"state must be 'memory' or a redis:// URL, got {url.split('@')[-1]!r}")
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=1.0)
    return StateBackend(url, client, prefix)
