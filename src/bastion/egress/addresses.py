"""Which resolved addresses egress may connect to (SSRF defence, OWASP API7).

Refused unless the partner explicitly allows the network (``allow_networks``): loopback, private
(RFC 1918, ULA), link-local (including the cloud metadata address 169.254.169.254 and fd00:ec2::254),
shared/CGNAT, multicast, reserved, unspecified and documentation ranges. IPv4-mapped and NAT64/6to4
forms are judged by the IPv4 address they embed, so ``::ffff:127.0.0.1`` is loopback.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

METADATA = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
                      ipaddress.ip_address("100.100.100.200")})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


def embedded_ipv4(ip: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address (else ``ip`` itself)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def classify(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public unicast address (``"loopback"``, ``"metadata"`` …), or ``None``."""
    ip = embedded_ipv4(ip)
    if ip in METADATA:
        return "metadata"
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("shared", isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-global", not ip.is_global),
    )
    for label, hit in checks:
        if hit:
            return label
    return None


def refusal(address: str, allowed: Sequence[Network] = ()) -> str | None:
    """Why egress must not connect to ``address`` (a literal IP), or ``None`` when it may.

    The metadata addresses are refused even when an allowed network contains them.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    reason = classify(ip)
    if reason is None:
        return None
    if reason == "metadata":
        return reason
    plain = embedded_ipv4(ip)
    if any(plain in net for net in allowed):
        return None
    return reason


def parse_networks(values: Sequence[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)
