"""Header hygiene between client, gateway and upstream (pure functions).

- hop-by-hop fields (RFC 9110 §7.6.1) and any field named in ``Connection`` are dropped both ways;
- ``X-Forwarded-For/Proto/Host`` and ``Forwarded`` from a client are believed only when the peer is
  in ``trusted_proxies``; otherwise they are replaced with what the gateway saw;
- ``Server``, ``X-Powered-By`` and similar technology banners are removed from responses.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable

from bastion.http.headers import HOP_BY_HOP

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDING = frozenset({"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
                        "forwarded", "x-real-ip"})
REQUEST_DROP = HOP_BY_HOP | {"host", "content-length", "expect", "http2-settings"}
BANNERS = frozenset({"server", "x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "x-runtime",
                     "x-generator", "x-drupal-cache", "x-backend-server", "via"})
RESPONSE_DROP = HOP_BY_HOP | BANNERS | {"content-length"}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def connection_tokens(headers: Iterable[tuple[str, str]]) -> set[str]:
    out: set[str] = set()
    for k, v in headers:
        if k == "connection":
            out.update(t.strip().lower() for t in v.split(",") if t.strip())
    return out


def is_trusted(ip: str, trusted: tuple[Network, ...]) -> bool:
    if not trusted:
        return False
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(addr in net for net in trusted)


def client_address(peer_ip: str, headers: list[tuple[str, str]], trusted: tuple[Network, ...]) -> str:
    """The client address: the peer, or, from a trusted proxy, the rightmost untrusted XFF entry."""
    if not is_trusted(peer_ip, trusted):
        return peer_ip
    chain: list[str] = []
    for k, v in headers:
        if k == "x-forwarded-for":
            chain.extend(p.strip() for p in v.split(","))
    for hop in reversed(chain):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer_ip  # garbage in the chain: trust nothing past the proxy
        if not is_trusted(hop, trusted):
            return hop
    return chain[0] if chain else peer_ip


def request_id(headers: list[tuple[str, str]], name: str) -> str:
    for k, v in headers:
        if k == name and _REQUEST_ID.match(v):
            return v
    return new_request_id()


def new_request_id() -> str:
    """A random (version 4) UUID string, without the cost of building a ``uuid.UUID``."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def forward_request_headers(headers: list[tuple[str, str]], trusted_peer: bool) -> list[tuple[str, str]]:
    drop = REQUEST_DROP | connection_tokens(headers)
    if not trusted_peer:
        drop = drop | FORWARDING
    return [(k, v) for k, v in headers if k not in drop]


def response_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    drop = RESPONSE_DROP | connection_tokens(headers)
    return [(k, v) for k, v in headers if k not in drop]
