"""Unit: ip_filter allows and denies by CIDR on the resolved client address."""

from __future__ import annotations

from typing import Any

import pytest

from bastion.chain.policy import PolicyDeps
from bastion.chain.registry import build_policy
from bastion.errors import ConfigError
from bastion.testing.exchange import make_exchange


def make(**raw: Any) -> Any:
    return build_policy("ip_filter", raw, PolicyDeps(), "routes[0].policies[0]")


RULES = {"allow": ["10.0.0.0/8", "2001:db8::/32"], "deny": ["10.6.6.0/24", "2001:db8:bad::/48"]}


@pytest.mark.parametrize(
    ("ip", "allowed"),
    [
        ("10.1.2.3", True),
        ("10.6.6.7", False),  # deny wins over allow
        ("192.168.1.1", False),  # not in allow
        ("2001:db8::1", True),
        ("2001:db8:bad::1", False),
        ("::ffff:10.6.6.7", False),  # IPv4-mapped IPv6 cannot slip past an IPv4 deny rule
        ("::ffff:10.1.2.3", True),
        ("fe80::1%eth0", False),  # zone ids are refused
        ("not-an-ip", False),  # fail closed
        ("", False),
    ],
)
@pytest.mark.anyio
async def test_allow_and_deny_rules(ip: str, allowed: bool) -> None:
    problem = await make(**RULES).on_request(make_exchange(client_ip=ip))
    if allowed:
        assert problem is None
    else:
        assert problem is not None and problem.status == 403
        assert ip not in (problem.detail or "") or not ip


@pytest.mark.anyio
async def test_deny_only_lets_everyone_else_in() -> None:
    policy = make(deny=["203.0.113.0/24"])
    assert await policy.on_request(make_exchange(client_ip="198.51.100.1")) is None
    assert await policy.on_request(make_exchange(client_ip="203.0.113.9")) is not None


@pytest.mark.anyio
async def test_forwarded_for_header_does_not_change_the_decision() -> None:
    policy = make(allow=["10.0.0.0/8"])
    ex = make_exchange(client_ip="198.51.100.1", headers=[("x-forwarded-for", "10.0.0.1")])
    assert await policy.on_request(ex) is not None


@pytest.mark.anyio
async def test_ipv4_mapped_deny_rule_matches_plain_ipv4() -> None:
    policy = make(deny=["::ffff:203.0.113.0/120"])
    assert await policy.on_request(make_exchange(client_ip="203.0.113.5")) is not None


@pytest.mark.parametrize("raw", [{}, {"allow": ["10.0.0.0/33"]}, {"deny": ["10.0.0.1/8"]}, {"allow": ["x"]}])
def test_bad_config(raw: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        make(**raw)
