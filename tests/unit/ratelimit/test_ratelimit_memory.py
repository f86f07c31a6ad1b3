"""Unit: MemoryCounterStore decides all-or-nothing, releases concurrency slots and forgets expired keys."""

from __future__ import annotations

import pytest

from bastion.ratelimit.memory import MemoryCounterStore
from bastion.ratelimit.strategies import Concurrency, Gcra, Rule, Window


@pytest.mark.anyio
async def test_a_refusal_by_one_rule_consumes_nothing_from_the_others() -> None:
    store = MemoryCounterStore()
    rules: list[Rule] = [Gcra(100, 60.0, 100), Window(1, 86400.0)]
    keys = ["a", "b"]
    assert (await store.decide(keys, rules, 1, 1000.0, "r1")).allowed
    refused = await store.decide(keys, rules, 1, 1000.0, "r2")
    assert not refused.allowed
    after = await store.decide(keys[:1], rules[:1], 1, 1000.0, "r3")
    assert after.statuses[0].remaining == 98  # r1 and r3 were charged, the refused r2 was not


@pytest.mark.anyio
async def test_concurrency_slots_are_held_until_released() -> None:
    store = MemoryCounterStore()
    rules = [Concurrency(2, lease=30.0)]
    assert (await store.decide(["c"], rules, 1, 0.0, "r1")).allowed
    assert (await store.decide(["c"], rules, 1, 0.0, "r2")).allowed
    assert not (await store.decide(["c"], rules, 1, 0.0, "r3")).allowed
    await store.release(["c"], "r1")
    assert (await store.decide(["c"], rules, 1, 0.0, "r3")).allowed


@pytest.mark.anyio
async def test_a_lost_slot_is_reclaimed_after_its_lease() -> None:
    store = MemoryCounterStore()
    rules = [Concurrency(1, lease=30.0)]
    assert (await store.decide(["c"], rules, 1, 0.0, "crashed")).allowed
    assert not (await store.decide(["c"], rules, 1, 29.0, "r2")).allowed
    assert (await store.decide(["c"], rules, 1, 30.0, "r2")).allowed


@pytest.mark.anyio
async def test_rotating_keys_do_not_grow_memory_without_bound() -> None:
    store = MemoryCounterStore(max_keys=100)
    rule = [Gcra(1, 1.0, 1)]
    for i in range(1000):
        await store.decide([f"ip{i}"], rule, 1, 5.0, "r")
    assert len(store) <= 100
