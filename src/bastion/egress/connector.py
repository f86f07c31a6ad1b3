"""The SSRF-safe connector: an httpcore network backend that resolves, checks and pins.

For every new connection to ``host:port`` it:
1. refuses hosts and ports that are not allow-listed for the partner;
2. resolves the name once, with bastion's own ``Resolver``, and refuses the whole answer if any
   address is private, loopback, link-local, metadata … (unless the partner allows that network);
3. dials the checked IP literal, so a second, different DNS answer (rebinding) can never be used;
4. performs TLS with SNI and certificate host-name verification against the *original* host name,
   whatever the caller or pool passes, then checks the SPKI pins configured for that host.
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
from httpcore import AsyncNetworkBackend, AsyncNetworkStream

from bastion.egress.addresses import Network, refusal
from bastion.egress.errors import DestinationRefused, PartnerUnreachable, PinMismatch
from bastion.egress.resolver import Resolver
from bastion.egress.tls import spki_sha256

log = logging.getLogger("bastion.egress")


class PinnedBackend(AsyncNetworkBackend):
    def __init__(
        self,
        partner: str,
        resolver: Resolver,
        allowed: frozenset[str],
        networks: tuple[Network, ...] = (),
        pins: dict[str, frozenset[str]] | None = None,
        inner: AsyncNetworkBackend | None = None,
    ) -> None:
        self.partner = partner
        self.resolver = resolver
        self.allowed = allowed
        """``host:port`` pairs, lower-case."""
        self.networks = networks
        self.pins = pins or {}
        """host -> accepted SPKI hashes; hosts without an entry are verified by the CA chain alone."""
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> AsyncNetworkStream:
        host = host.lower().rstrip(".")
        if f"{host}:{port}" not in self.allowed:
            raise DestinationRefused(f"partner {self.partner}: {host}:{port} is not allow-listed")
        address = await self.checked_address(host, port)
        stream = await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
        return PinnedStream(stream, self, host, address)

    async def checked_address(self, host: str, port: int) -> str:
        if _is_ip(host):
            answers = [host]
        else:
            answers = await self.resolver.resolve(host, port)
        if not answers:
            raise PartnerUnreachable(f"partner {self.partner}: {host} has no addresses")
        for addr in answers:
            reason = refusal(addr, self.networks)
            if reason is not None:
                raise DestinationRefused(f"partner {self.partner}: {host} resolved to a {reason} address {addr}")
        return answers[0]

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> AsyncNetworkStream:
        raise DestinationRefused("unix sockets are not an egress destination")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class PinnedStream(AsyncNetworkStream):
    def __init__(self, stream: AsyncNetworkStream, backend: PinnedBackend, host: str, address: str) -> None:
        self._stream = stream
        self._backend = backend
        self.host = host
        self.address = address

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> AsyncNetworkStream:
        if not ssl_context.check_hostname or ssl_context.verify_mode != ssl.CERT_REQUIRED:
            raise PartnerUnreachable("egress refuses TLS without certificate and host-name verification")
        tls = await self._stream.start_tls(ssl_context, server_hostname=self.host, timeout=timeout)
        pins = self._backend.pins.get(self.host)
        if pins:
            ssl_object = tls.get_extra_info("ssl_object")
            der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
            if not der or spki_sha256(der) not in pins:
                await tls.aclose()
                raise PinMismatch(f"partner {self._backend.partner}: TLS public key of {self.host} "
                                  "matches none of the configured spki_pins")
        return PinnedStream(tls, self._backend, self.host, self.address)

    def get_extra_info(self, info: str) -> Any:
        if info == "egress_address":
            return self.address
        return self._stream.get_extra_info(info)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
