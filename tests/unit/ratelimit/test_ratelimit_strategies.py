"""Unit: the pure rate-limit math (GCRA, fixed windows, concurrency) and rate parsing."""

from __future__ import annotations

import pytest

from bastion.ratelimit.strategies import (
    Concurrency,
    Gcra,
    Window,
    combine,
    concurrency_check,
    gcra_check,
    parse_rate,
    window_check,
)


def test_gcra_admits_the_burst_then_refuses_with_the_wait_for_one_unit() -> None:
    rule = Gcra(count=10, period=10.0, burst=3)
    tat = 0.0
    remaining = []
    for _ in range(3):
        ok, _, tat, status = gcra_check(rule, tat, 1, 100.0)
        assert ok
        remaining.append(status.remaining)
    assert remaining == [2, 1, 0]
    ok, retry, same, status = gcra_check(rule, tat, 1, 100.0)
    assert not ok and same == tat
    assert retry == pytest.approx(1.0)
    assert status.remaining == 0 and status.reset == pytest.approx(3.0)


def test_gcra_replenishes_one_unit_per_interval() -> None:
    rule = Gcra(count=2, period=1.0, burst=1)
    ok, _, tat, _ = gcra_check(rule, 0.0, 1, 50.0)
    assert ok
    assert not gcra_check(rule, tat, 1, 50.49)[0]
    assert gcra_check(rule, tat, 1, 50.5)[0]


def test_gcra_cost_larger_than_burst_is_never_admitted() -> None:
    rule = Gcra(count=5, period=60.0, burst=5)
    ok, retry, _, _ = gcra_check(rule, 0.0, 6, 0.0)
    assert not ok and retry == 60.0


def test_window_counts_per_utc_day_and_resets_at_midnight() -> None:
    rule = Window(count=3, period=86400.0)
    day_end = 86400.0 * 20000
    now = day_end - 10
    ok, _, used, status = window_check(rule, 2, 1, now)
    assert ok and used == 3 and status.remaining == 0
    assert status.reset == pytest.approx(10.0)
    ok, retry, used, _ = window_check(rule, 3, 1, now)
    assert not ok and used == 3 and retry == pytest.approx(10.0)
    assert rule.index(now) + 1 == rule.index(day_end)


def test_concurrency_and_combine_take_the_longest_wait() -> None:
    assert concurrency_check(Concurrency(2), 1)[0]
    refused = concurrency_check(Concurrency(2), 2)
    assert not refused[0]
    outcome = combine([refused, (False, 7.5, refused[2]), (True, 0.0, refused[2])])
    assert not outcome.allowed and outcome.retry_after == 7.5 and len(outcome.statuses) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [("100/minute", (100, 60.0)), ("10/s", (10, 1.0)), ("5000/day", (5000, 86400.0)), ("20/30s", (20, 30.0))],
)
def test_parse_rate(text: str, expected: tuple[int, float]) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["100", "0/minute", "-1/s", "10/fortnight", "abc/s", "5/0s"])
def test_parse_rate_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rate(text)
