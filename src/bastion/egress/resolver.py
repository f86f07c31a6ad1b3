"""DNS resolution owned by bastion: the answer that is checked is the address that is dialled.

``Resolver`` is the port; ``SystemResolver`` asks the OS (``getaddrinfo``) and ``StaticResolver``
answers from a fixed table (tests, or pinning a partner's addresses in configuration).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Mapping, Sequence
from typing import Protocol

from bastion.egress.errors import PartnerUnreachable


class Resolver(Protocol):
    async def resolve(self, host: str, port: int) -> list[str]:
        """IP address literals for ``host``, in preference order. Raises ``PartnerUnreachable``."""
        ...


class SystemResolver:
    async def resolve(self, host: str, port: int) -> list[str]:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise PartnerUnreachable(f"cannot resolve {host}: {type(exc).__name__}") from None
        out: list[str] = []
        for info in infos:
            addr = str(info[4][0])
            if addr not in out:
                out.append(addr)
        return out


class StaticResolver:
    """Answers from a table ``host -> [addresses]``; unknown hosts fail like NXDOMAIN."""

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self.table = {k.lower(): list(v) for k, v in table.items()}

    async def resolve(self, host: str, port: int) -> list[str]:
        try:
            return list(self.table[host.lower()])
        except KeyError:
            raise PartnerUnreachable(f"cannot resolve {host}: no such host") from None
