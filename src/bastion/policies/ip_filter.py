"""``ip_filter``: allow or deny clients by CIDR.

    - ip_filter: {allow: [10.0.0.0/8, "2001:db8::/32"], deny: [10.6.6.0/24]}

The address is ``ex.request.client_ip``, which the server already resolved through
``trusted_proxies`` (a client cannot choose it with X-Forwarded-For). ``deny`` wins over ``allow``;
with a non-empty ``allow`` every other address is refused. IPv4-mapped IPv6 addresses
(``::ffff:10.0.0.1``) are matched as the IPv4 address they carry, so they cannot slip past an IPv4
rule. An address that does not parse is refused (fail closed). OWASP API8:2023, CWE-284.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import field_validator

from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.errors import ConfigError
from bastion.http.problem import FORBIDDEN, Problem

if TYPE_CHECKING:
    from bastion.chain.exchange import Exchange

CACHE_SIZE = 65536
"""Decisions remembered per address (the config is immutable, so a cached answer never goes stale)."""
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class IpFilterConfig(PolicyConfig):
    allow: tuple[str, ...] = ()
    """CIDRs (or single addresses) allowed; empty means every address not denied."""
    deny: tuple[str, ...] = ()
    """CIDRs (or single addresses) always refused."""

    @field_validator("allow", "deny")
    @classmethod
    def _cidrs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for cidr in value:
            try:
                ipaddress.ip_network(cidr, strict=True)
            except ValueError as exc:
                raise ValueError(f"{cidr!r} is not a CIDR block ({exc})") from None
        return value


class IpFilterPolicy(Policy):
    name = "ip_filter"
    config_model = IpFilterConfig
    config: IpFilterConfig

    def __init__(self, config: IpFilterConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        if not config.allow and not config.deny:
            raise ConfigError("", "give 'allow' or 'deny' CIDRs")
        self._allow = _networks(config.allow)
        self._deny = _networks(config.deny)
        self._allowed = lru_cache(maxsize=CACHE_SIZE)(self._decide)

    async def on_request(self, ex: Exchange) -> Problem | None:
        if self._allowed(ex.request.client_ip):
            return None
        return FORBIDDEN.problem("client address not allowed")

    def _decide(self, client_ip: str) -> bool:
        addr = parse_address(client_ip)
        if addr is None or _within(addr, self._deny):
            return False
        return not self._allow or _within(addr, self._allow)


def parse_address(text: str) -> Address | None:
    """The client address, IPv4-mapped IPv6 unwrapped and any zone id refused; None if invalid."""
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.scope_id is not None:
            return None
        if addr.ipv4_mapped is not None:
            return addr.ipv4_mapped
    return addr


def _networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    out: list[Network] = []
    for cidr in cidrs:
        net = ipaddress.ip_network(cidr)
        if isinstance(net, ipaddress.IPv6Network) and net.network_address.ipv4_mapped is not None:
            mapped = net.network_address.ipv4_mapped
            net = ipaddress.ip_network(f"{mapped}/{max(net.prefixlen - 96, 0)}")
        out.append(net)
    return tuple(out)


def _within(addr: Address, nets: tuple[Network, ...]) -> bool:
    return any(addr.version == net.version and addr in net for net in nets)
