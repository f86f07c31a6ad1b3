"""Property: for any arrival sequence on a FakeClock, the limiter never admits more than its limit.

GCRA (``count`` per ``period``, ``burst``): in any interval [a, b] the admitted units are at most
``burst + (b - a) * count / period``. Fixed windows (quotas): at most ``count`` units per window.
Both hold together when a route has several limits, and with a per-request cost.
"""

from __future__ import annotations

import math
from typing import Any

import anyio
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.chain.policy import PolicyDeps
from bastion.policies.rate_limit import RateLimitConfig, RateLimitPolicy
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange

arrivals = st.lists(
    st.tuples(
        st.one_of(st.just(0.0), st.floats(0.0, 3.0), st.sampled_from([0.001, 0.1, 0.25, 1.0, 7.0, 60.0])),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=120,
)


def run(policy: RateLimitPolicy, clock: FakeClock, seq: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """Drive the policy; return (time, cost) of every admitted request."""
    admitted: list[tuple[float, int]] = []

    async def go() -> None:
        for i, (gap, kib) in enumerate(seq):
            clock.advance(gap)
            ex = make_exchange("POST", headers=[("content-length", str(kib * 1024))])
            ex.request_id = f"r{i}"
            if await policy.on_request(ex) is None:
                admitted.append((clock.now(), 1 + kib))

    anyio.run(go)
    return admitted


def policy_for(clock: FakeClock, **raw: Any) -> RateLimitPolicy:
    config = RateLimitConfig.model_validate({"cost_per_kib": 1, **raw})
    return RateLimitPolicy(config, PolicyDeps(clock=clock, route_id="prop"))


GCRA_ARGS: dict[str, Any] = {
    "seq": arrivals, "count": st.integers(1, 20), "period": st.sampled_from([1.0, 2.5, 60.0]),
    "burst": st.integers(1, 10),
}


@settings(max_examples=150, deadline=None)
@given(**GCRA_ARGS, start=st.sampled_from([0.0, 1_800_000_000.0, 1_800_000_000.123]))
def test_gcra_never_admits_more_than_burst_plus_rate_in_any_interval(
    seq: list[tuple[float, int]], count: int, period: float, burst: int, start: float
) -> None:
    clock = FakeClock(start=start)
    admitted = run(policy_for(clock, rate=f"{count}/{period}s", burst=burst), clock, seq)
    for i in range(len(admitted)):
        units = 0
        for j in range(i, len(admitted)):
            units += admitted[j][1]
            span = admitted[j][0] - admitted[i][0]
            assert units <= burst + span * count / period + 1e-3, (i, j, units)


@settings(max_examples=150, deadline=None)
@given(seq=arrivals, quota=st.integers(1, 15), rate=st.integers(1, 30))
def test_quota_never_exceeded_in_any_window_even_beside_a_rate_limit(
    seq: list[tuple[float, int]], quota: int, rate: int
) -> None:
    clock = FakeClock(start=1_800_000_000.0)
    policy = policy_for(clock, limits=[{"rate": f"{rate}/second"}, {"quota": f"{quota}/10s"}])
    admitted = run(policy, clock, seq)
    per_window: dict[int, int] = {}
    for t, units in admitted:
        per_window[math.floor(t / 10.0)] = per_window.get(math.floor(t / 10.0), 0) + units
    assert all(v <= quota for v in per_window.values())


@settings(max_examples=150, deadline=None)
@given(**GCRA_ARGS)
def test_single_rate_fast_path_answers_as_the_general_path(
    seq: list[tuple[float, int]], count: int, period: float, burst: int
) -> None:
    """The memory store decides one GCRA rule on a shortcut; beside a second rule that never refuses (which takes
    the general path) every answer, wait and status of the first rule is the same."""
    from bastion.ratelimit.memory import MemoryCounterStore
    from bastion.ratelimit.strategies import Gcra

    rule, never = Gcra(count, period, burst), Gcra(10**9, 1.0, 10**9)
    one, general = MemoryCounterStore(), MemoryCounterStore()

    async def go() -> None:
        now = 1_800_000_000.0
        for gap, cost in seq:
            now += gap
            a = await one.decide(["k"], [rule], cost + 1, now, "m")
            b = await general.decide(["k", "n"], [rule, never], cost + 1, now, "m")
            assert (a.allowed, a.retry_after, a.statuses[0]) == (b.allowed, b.retry_after, b.statuses[0])

    anyio.run(go)
