"""The SSRF-safe connector: an httpcore network backend that resolves, checks and pins.

For every new connection to ``host:port`` it:
1. refuses hosts and ports that are not allow-listed for the partner;
2. resolves the name once, with bastion's own ``Resolver``, and refuses the whole answer if any
   address is private, loopback, link-local, metadata … (unless the partner allows that network);
3. dials the checked IP literal, so a second, different DNS answer (rebinding) can never be used;
4. performs TLS with SNI and certificate host-name verification against the *original* host name,
   whatever the caller or pool passes, then checks the SPKI pins configured for that host.

DNS resolution is owned by bastion: the ``Resolver`` port answers with address literals;
``SystemResolver`` asks the OS (``getaddrinfo``) and ``StaticResolver`` answers from a fixed table
(tests, or pinning a partner's addresses).

TLS: verification is always on (TLS 1.2+, host name checked), with an optional mTLS client key and
SPKI pins. ``ssl`` needs the client key as a file, so a key from the secret store is written to a
private temporary file (mode 0600), loaded and unlinked at once.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import ipaddress
import os
import socket
import ssl
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import httpcore
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from httpcore import AsyncNetworkBackend, AsyncNetworkStream

from bastion.egress.addresses import Network, refusal
from bastion.egress.errors import DestinationRefused, PartnerUnreachable, PinMismatch
from bastion.errors import ConfigError


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
    """Answers from a table ``host -> [addresses]``; other hosts go to ``fallback`` (else NXDOMAIN)."""

    def __init__(self, table: Mapping[str, Sequence[str]], fallback: Resolver | None = None) -> None:
        self.table = {k.lower(): list(v) for k, v in table.items()}
        self.fallback = fallback

    async def resolve(self, host: str, port: int) -> list[str]:
        found = self.table.get(host.lower())
        if found is not None:
            return list(found)
        if self.fallback is not None:
            return await self.fallback.resolve(host, port)
        raise PartnerUnreachable(f"cannot resolve {host}: no such host")


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


def spki_sha256(der_cert: bytes) -> str:
    """Base64 SHA-256 of the certificate's SubjectPublicKeyInfo (the HPKP/``curl --pinnedpubkey`` form)."""
    cert = x509.load_der_x509_certificate(der_cert)
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def partner_ssl_context(
    partner: str,
    *,
    ca: Path | None = None,
    client_cert: Path | None = None,
    client_key_pem: str | None = None,
) -> ssl.SSLContext:
    """A client context that verifies the partner's chain and host name; mTLS when a cert is given."""
    try:
        ctx = ssl.create_default_context(cafile=str(ca) if ca else None)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"egress.partners.{partner}.tls.ca", f"cannot load CA bundle: {exc}") from None
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.set_alpn_protocols(["http/1.1"])
    if client_cert is not None:
        if client_key_pem is None:
            raise ConfigError(f"egress.partners.{partner}.tls.client_key", "client_cert needs client_key")
        _load_client_pair(ctx, partner, client_cert, client_key_pem)
    return ctx


def _load_client_pair(ctx: ssl.SSLContext, partner: str, cert: Path, key_pem: str) -> None:
    fd, name = tempfile.mkstemp(prefix="bastion-egress-", suffix=".pem")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(key_pem)
        ctx.load_cert_chain(str(cert), name)
    except (OSError, ssl.SSLError) as exc:
        reason = type(exc).__name__
        raise ConfigError(f"egress.partners.{partner}.tls", f"cannot load the client certificate ({reason})") from None
    finally:
        os.unlink(name)
