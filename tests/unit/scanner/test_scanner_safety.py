"""Unit: the guard rails — one origin, safe methods unless allowed, the budget, and the rate cap."""

from __future__ import annotations

import httpx
import pytest

from bastion.scanner.messages import ProbeRequest
from bastion.scanner.safety import Guard, RateCap, Refused

TARGET = httpx.URL("https://api.example.test/base")


@pytest.mark.parametrize("path", ["//evil.example/x", "http://evil.example/x", "evil", "/\\evil.example",
                                  "@evil.example/x"])
def test_refuses_paths_that_leave_the_target(path: str) -> None:
    with pytest.raises(Refused):
        Guard(TARGET).url_for(ProbeRequest("GET", path))


def test_builds_urls_under_the_target_and_encodes_payloads() -> None:
    url = Guard(TARGET).url_for(ProbeRequest("GET", "/items/a b\n", query=(("q", "x' OR '1'='1"),)))
    assert (url.host, url.scheme) == ("api.example.test", "https")
    assert url.raw_path.startswith(b"/base/items/a%20b%0A?")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
def test_refuses_unsafe_methods_by_default(method: str) -> None:
    with pytest.raises(Refused, match="unsafe"):
        Guard(TARGET).admit(ProbeRequest(method, "/x"))


def test_allows_unsafe_methods_when_asked() -> None:
    Guard(TARGET, allow_unsafe=True).admit(ProbeRequest("DELETE", "/x"))


def test_login_requests_are_allowed_without_unsafe_methods() -> None:
    Guard(TARGET).admit(ProbeRequest("POST", "/login", purpose="login"))


def test_budget_is_a_hard_stop() -> None:
    guard = Guard(TARGET, max_requests=2)
    guard.admit(ProbeRequest("GET", "/a"))
    guard.admit(ProbeRequest("GET", "/b"))
    with pytest.raises(Refused, match="budget"):
        guard.admit(ProbeRequest("GET", "/c"))


@pytest.mark.anyio
async def test_rate_cap_spaces_requests_evenly() -> None:
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    cap = RateCap(4.0, now=lambda: now[0], sleep=sleep)
    for _ in range(5):
        await cap.wait()
    assert slept == pytest.approx([0.25, 0.25, 0.25, 0.25])


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateCap(0)
