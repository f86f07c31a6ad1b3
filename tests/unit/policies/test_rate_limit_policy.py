"""Unit: the rate_limit policy on a FakeClock and a memory store (no sockets, no sleeping)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from bastion.chain.exchange import Exchange, Principal
from bastion.chain.policy import PolicyDeps
from bastion.chain.registry import build_policy
from bastion.errors import ConfigError
from bastion.http.messages import ResponseHead
from bastion.policies.rate_limit import RateLimitPolicy
from bastion.ratelimit.store import StoreUnavailable
from bastion.ratelimit.strategies import Outcome, Rule
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange


def make_policy(clock: FakeClock, services: dict[str, Any] | None = None, **raw: Any) -> RateLimitPolicy:
    deps = PolicyDeps(clock=clock, services=services if services is not None else {}, route_id="orders")
    policy = build_policy("rate_limit", raw, deps, "routes[0].policies[0]")
    assert isinstance(policy, RateLimitPolicy)
    return policy


def user(sub: str, **claims: Any) -> Principal:
    return Principal(subject=sub, method="jwt", client_id="app-" + sub, claims=claims)


async def admitted(policy: RateLimitPolicy, n: int, **kw: Any) -> int:
    count = 0
    for i in range(n):
        ex = make_exchange(**kw)
        ex.request_id = f"r{i}"
        count += await policy.on_request(ex) is None
    return count


@pytest.mark.anyio
async def test_flood_from_one_ip_gets_429_with_retry_after_and_ietf_headers() -> None:
    clock = FakeClock()
    policy = make_policy(clock, rate="60/minute", burst=5)
    assert await admitted(policy, 5) == 5
    problem = await policy.on_request(make_exchange())
    assert problem is not None
    assert problem.status == 429 and problem.type.endswith("/rate-limited")
    hdrs = dict(problem.headers)
    assert hdrs["retry-after"] == "1"
    assert hdrs["ratelimit-policy"] == '"rate0";q=60;w=60'
    assert hdrs["ratelimit"] == '"rate0";r=0;t=5'
    assert problem.extensions["retry_after"] == 1
    clock.advance(1.0)
    assert await policy.on_request(make_exchange()) is None


@pytest.mark.anyio
async def test_allowed_responses_carry_ratelimit_headers() -> None:
    policy = make_policy(FakeClock(), rate="10/second", burst=10)
    ex = make_exchange()
    assert await policy.on_request(ex) is None
    ex.response = ResponseHead(200)
    await policy.on_response(ex)
    assert ex.response.headers.get("ratelimit") == '"rate0";r=9;t=1'
    assert ex.response.headers.get("ratelimit-policy") == '"rate0";q=10;w=1'


@pytest.mark.anyio
async def test_headers_can_be_turned_off_on_allowed_responses() -> None:
    policy = make_policy(FakeClock(), rate="10/second", headers=False)
    ex = make_exchange()
    assert await policy.on_request(ex) is None
    ex.response = ResponseHead(200)
    await policy.on_response(ex)
    assert "ratelimit" not in ex.response.headers


@pytest.mark.anyio
async def test_subject_key_gives_each_caller_its_own_bucket_and_anonymous_falls_back_to_ip() -> None:
    policy = make_policy(FakeClock(), key="subject", rate="2/minute")
    assert await admitted(policy, 5, principal=user("alice")) == 2
    assert await admitted(policy, 5, principal=user("bob")) == 2
    assert await admitted(policy, 5, client_ip="198.51.100.7") == 2
    assert await admitted(policy, 5, client_ip="198.51.100.8") == 2


@pytest.mark.parametrize(
    ("key", "first", "second", "shared"),
    [
        ("client_id", user("a"), user("a"), True),
        ("client_id", user("a"), user("b"), False),
        ("claim:tenant", user("a", tenant="t1"), user("b", tenant="t1"), True),
        ("claim:tenant", user("a", tenant="t1"), user("b", tenant="t2"), False),
        ("api_key", Principal("owner", "api_key", "key-1"), Principal("owner", "api_key", "key-1"), True),
        ("api_key", Principal("owner", "api_key", "key-1"), Principal("owner", "api_key", "key-2"), False),
        ("api_key", Principal("owner", "jwt", "key-1"), Principal("owner", "jwt", "key-1"), False),  # per ip
        ("route", user("a"), user("b"), True),
    ],
)
@pytest.mark.anyio
async def test_key_selectors(key: str, first: Principal, second: Principal, shared: bool) -> None:
    policy = make_policy(FakeClock(), key=key, rate="1/minute")
    assert await policy.on_request(make_exchange(principal=first)) is None
    refused = await policy.on_request(make_exchange(principal=second, client_ip="203.0.113.9"))
    assert (refused is not None) is shared


@pytest.mark.anyio
async def test_burst_and_sustained_limits_both_apply() -> None:
    clock = FakeClock()
    policy = make_policy(
        clock, limits=[{"name": "burst", "rate": "5/second"}, {"name": "sustained", "rate": "8/hour"}]
    )
    assert await admitted(policy, 10) == 5
    clock.advance(1.0)
    assert await admitted(policy, 10) == 3
    clock.advance(60.0)
    assert await admitted(policy, 10) == 0


@pytest.mark.anyio
async def test_daily_quota_resets_at_the_next_utc_day() -> None:
    clock = FakeClock(start=86400.0 * 20000 + 3600)
    policy = make_policy(clock, key="subject", quota="3/day")
    assert await admitted(policy, 5, principal=user("alice")) == 3
    problem = await policy.on_request(make_exchange(principal=user("alice")))
    assert problem is not None and dict(problem.headers)["retry-after"] == str(86400 - 3600)
    clock.advance(86400 - 3600)
    assert await admitted(policy, 5, principal=user("alice")) == 3


@pytest.mark.anyio
async def test_large_bodies_cost_more() -> None:
    policy = make_policy(FakeClock(), rate="10/hour", cost_per_kib=1)
    big = [("content-length", str(4 * 1024))]
    assert await admitted(policy, 5, method="POST", headers=big) == 2  # 5 units each
    small = make_policy(FakeClock(), rate="10/hour", cost_per_kib=1)
    assert await admitted(small, 20, method="POST", body=b"x" * 10) == 5  # 2 units each


@pytest.mark.anyio
async def test_concurrency_slot_is_released_on_complete() -> None:
    policy = make_policy(FakeClock(), concurrency=2)
    first, second, third = make_exchange(), make_exchange(), make_exchange()
    for i, ex in enumerate((first, second, third)):
        ex.request_id = f"req-{i}"
    assert await policy.on_request(first) is None
    assert await policy.on_request(second) is None
    problem = await policy.on_request(third)
    assert problem is not None and problem.status == 429
    await policy.on_complete(third)  # a refused request holds no slot
    await policy.on_complete(first)
    assert await policy.on_request(third) is None


@pytest.mark.anyio
async def test_routes_with_the_same_scope_share_counters() -> None:
    services: dict[str, Any] = {}
    clock = FakeClock()
    a = make_policy(clock, services, rate="2/minute", scope="partner-api")
    b = make_policy(clock, services, rate="2/minute", scope="partner-api")
    c = make_policy(clock, services, rate="2/minute")
    assert await admitted(a, 1) + await admitted(b, 5) == 2
    assert await admitted(c, 5) == 2


class DownStore:
    """A shared store that is down (stands in for an unreachable Redis in this pure-logic test)."""

    kind = "redis"

    def __init__(self) -> None:
        self.calls = 0

    async def decide(self, keys: Sequence[str], rules: Sequence[Rule], cost: int, now: float,
                     member: str) -> Outcome:
        self.calls += 1
        raise StoreUnavailable("redis rate-limit store unavailable (ConnectionError)")

    async def release(self, keys: Sequence[str], member: str) -> None:
        raise StoreUnavailable("down")


@pytest.mark.anyio
async def test_store_down_fail_closed_answers_503_and_counts() -> None:
    store = DownStore()
    clock = FakeClock()
    policy = make_policy(clock, {"rate_limit.store": store}, rate="5/second", on_store_error="fail_closed")
    problem = await policy.on_request(make_exchange())
    assert problem is not None and problem.status == 503 and dict(problem.headers)["retry-after"] == "1"
    assert await policy.on_request(make_exchange()) is not None
    assert store.calls == 1  # the breaker spares the next requests the connect timeout
    assert policy.store_errors == 2
    clock.advance(1.0)
    await policy.on_request(make_exchange())
    assert store.calls == 2


@pytest.mark.anyio
async def test_store_down_falls_back_to_local_limits(caplog: pytest.LogCaptureFixture) -> None:
    policy = make_policy(
        FakeClock(), {"rate_limit.store": DownStore()},
        rate="100/second", fallback_limits=[{"rate": "2/second"}],
    )
    assert await admitted(policy, 5) == 2
    assert policy.store_errors == 5
    assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"burst": 5}, "burst"),
        ({"rate": "10/fortnight"}, "rate"),
        ({"rate": "10/s", "key": "password"}, "rate"),
        ({"limits": [{"rate": "1/s", "quota": "1/day"}]}, "limits"),
        ({}, ""),
        ({"rate": "1/s", "fallback_limits": []}, "fallback_limits"),
        ({"limits": [{"name": "a", "rate": "1/s"}, {"name": "a", "rate": "2/s"}]}, "limits"),
    ],
)
def test_bad_config_is_a_config_error_with_its_path(raw: dict[str, Any], path: str) -> None:
    with pytest.raises(ConfigError) as info:
        make_policy(FakeClock(), **raw)
    assert info.value.path.startswith("routes[0].policies[0].rate_limit")
    assert path in info.value.path or path in info.value.msg


def test_store_keys_never_contain_the_raw_identity() -> None:
    policy = make_policy(FakeClock(), key="subject", rate="1/s")
    ex: Exchange = make_exchange(principal=user("alice@example.com"))
    keys = [sel(ex) for sel in policy._selectors]
    assert all("alice" not in k for k in keys)


@pytest.mark.anyio
async def test_header_key_and_malformed_content_length() -> None:
    policy = make_policy(FakeClock(), key="header:X-Tenant", rate="1/minute", cost_per_kib=1)
    assert await policy.on_request(make_exchange(headers=[("x-tenant", "t1")])) is None
    assert await policy.on_request(make_exchange(headers=[("x-tenant", "t1")])) is not None
    tenant2 = make_exchange(headers=[("x-tenant", "t2"), ("content-length", "abc")])
    assert await policy.on_request(tenant2) is None


@pytest.mark.anyio
async def test_complete_without_a_decision_is_harmless() -> None:
    policy = make_policy(FakeClock(), concurrency=1)
    await policy.on_complete(make_exchange())  # e.g. an earlier policy refused the request
    assert await policy.on_request(make_exchange()) is None


@pytest.mark.anyio
async def test_two_policies_on_one_route_keep_separate_state() -> None:
    services: dict[str, Any] = {}
    clock = FakeClock()
    strict = make_policy(clock, services, rate="1/minute")
    loose = make_policy(clock, services, rate="100/minute")
    assert await admitted(loose, 3) == 3
    assert await admitted(strict, 3) == 1
