"""Unit: which resolved addresses egress refuses (SSRF), including encoded IPv4 inside IPv6."""

from __future__ import annotations

import pytest

from bastion.egress.addresses import parse_networks, refusal


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("fd12::1", "private"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "shared"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("192.0.2.10", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "metadata"),
        ("64:ff9b::a9fe:a9fe", "metadata"),
        ("2002:7f00:1::", "loopback"),
        ("not-an-ip", "not an IP address"),
    ],
)
def test_refuses_non_public_addresses(address: str, reason: str) -> None:
    assert refusal(address) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_accepts_public_unicast(address: str) -> None:
    assert refusal(address) is None


def test_partner_may_allow_a_private_network() -> None:
    nets = parse_networks(["10.20.0.0/16"])
    assert refusal("10.20.1.1", nets) is None
    assert refusal("10.21.1.1", nets) == "private"
    assert refusal("::ffff:10.20.1.1", nets) is None


def test_metadata_is_refused_even_inside_an_allowed_network() -> None:
    assert refusal("169.254.169.254", parse_networks(["169.254.0.0/16"])) == "metadata"
