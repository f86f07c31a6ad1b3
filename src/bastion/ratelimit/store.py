"""The CounterStore port: where rate-limit state lives (one process: memory; several: Redis).

A store makes one *decision* per request: given the keys and rules of every limit that applies, it
checks them all and commits only when all admit — atomically, in one step (memory: no ``await``
between read and write; Redis: one Lua script, one round trip). The math is ``strategies.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bastion.errors import BastionError
from bastion.ratelimit.strategies import Outcome, Rule, Window


class StoreUnavailable(BastionError):
    """The shared store could not be reached. The message never carries the store's URL or credentials."""

    code = "store_unavailable"


class CounterStore(Protocol):
    kind: str
    """``memory`` or ``redis``, for logs and metrics."""

    async def decide(
        self, keys: Sequence[str], rules: Sequence[Rule], cost: int, now: float, member: str
    ) -> Outcome:
        """Check ``rules[i]`` against the state under ``keys[i]``; commit all or nothing.

        ``cost`` is charged to every GCRA and window rule; a concurrency rule takes one slot named
        ``member`` (the request id), given back by ``release``. Raises ``StoreUnavailable``.
        """
        ...

    async def release(self, keys: Sequence[str], member: str) -> None:
        """Give back the concurrency slots ``member`` took under ``keys``. Raises ``StoreUnavailable``."""
        ...


def storage_key(key: str, rule: Rule, now: float) -> str:
    """The key a rule's state is stored under; a window rule gets one key per window."""
    if isinstance(rule, Window):
        return f"{key}:w{rule.index(now)}"
    return key
