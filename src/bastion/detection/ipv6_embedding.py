"""The IPv4 address an IPv6 address carries, for the SSRF rule's internal-address test.

A guard that tests only "is this IPv6 address private" lets an internal IPv4 address through inside an IPv6 one that
a translator or tunnel turns back into it: IPv4-mapped ``::ffff:a.b.c.d``, IPv4-translated ``::ffff:0:a.b.c.d``
(RFC 2765/SIIT), NAT64's well-known prefix ``64:ff9b::/96`` and local-use prefix ``64:ff9b:1::/48`` (RFC 6052,
RFC 8215), 6to4 ``2002:AABB:CCDD::`` and Teredo's client address (the last 32 bits inverted, RFC 4380). SSRF guards
test these forms (advocate, ssrfcheck; fresh51). A prefix with zeros after it (``64:ff9b::``, ``2002::``) carries no
address: only an embedded address outside ``0.0.0.0/8`` counts for the translated, NAT64, 6to4 and Teredo forms.
Pure arithmetic on the address's number: constant time.
"""

from __future__ import annotations

import ipaddress

_TRANSLATED = 0xFFFF0000
"""``::ffff:0:0/96`` shifted right by 32."""
_NAT64_WELL_KNOWN = 0x0064FF9B << 96
_NAT64_LOCAL = 0x0064FF9B0001 << 80
_LOW32 = 0xFFFFFFFF


def embedded_ipv4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address ``addr`` embeds (mapped, translated, NAT64, 6to4, Teredo client), or ``None``."""
    if (mapped := addr.ipv4_mapped) is not None:
        return mapped
    number = int(addr)
    low = number & _LOW32
    if number >> 32 == _TRANSLATED or number >> 32 == _NAT64_WELL_KNOWN >> 32 or number >> 80 == _NAT64_LOCAL >> 80:
        embedded = low
    elif (six := addr.sixtofour) is not None:
        embedded = int(six)
    elif (teredo := addr.teredo) is not None:
        embedded = int(teredo[1])
    else:
        return None
    return ipaddress.IPv4Address(embedded) if embedded >= 1 << 24 else None
