"""The SSRF-safe connector: how the egress client opens a connection. It resolves, checks and pins.

For every new connection to ``host:port`` it:
1. refuses hosts and ports that are not allow-listed for the partner;
2. resolves the name once, with bastion's own ``Resolver``, and refuses the whole answer if any
   address is private, loopback, link-local, metadata … (unless the partner allows that network);
3. dials the checked IP literal, so a second, different DNS answer (rebinding) can never be used;
4. performs TLS with SNI and certificate host-name verification against the *original* host name (a
   context without ``CERT_REQUIRED`` and ``check_hostname`` is refused), then checks the SPKI pins
   configured for that host.

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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from bastion.egress.addresses import Network, refusal
from bastion.egress.errors import DestinationRefused, PartnerTimeout, PartnerUnreachable, PinMismatch
from bastion.errors import ConfigError

P = TypeVar("P", bound=asyncio.BaseProtocol)


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


class PinnedBackend:
    """Opens the connections of one partner: allow-list, checked and pinned address, verified TLS, SPKI pins."""

    def __init__(
        self,
        partner: str,
        resolver: Resolver,
        allowed: frozenset[str],
        networks: tuple[Network, ...] = (),
        pins: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.partner = partner
        self.resolver = resolver
        self.allowed = allowed
        """``host:port`` pairs, lower-case."""
        self.networks = networks
        self.pins = pins or {}
        """host -> accepted SPKI hashes; hosts without an entry are verified by the CA chain alone."""

    async def connect(self, host: str, port: int, ssl_context: ssl.SSLContext,
                      protocol_factory: Callable[[], P], timeout: float) -> P:
        """A new TLS connection to ``host:port`` (steps 1–4 above), running ``protocol_factory()``'s
        protocol. ``timeout`` bounds the name resolution, the TCP connect and the TLS handshake. Raises
        egress errors only."""
        host = host.lower().rstrip(".")
        if f"{host}:{port}" not in self.allowed:
            raise DestinationRefused(f"partner {self.partner}: {host}:{port} is not allow-listed")
        if not ssl_context.check_hostname or ssl_context.verify_mode != ssl.CERT_REQUIRED:
            raise PartnerUnreachable("egress refuses TLS without certificate and host-name verification")
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                address = await self.checked_address(host, port)
                transport, protocol = await loop.create_connection(
                    protocol_factory, address, port, ssl=ssl_context, server_hostname=host)
        except TimeoutError:
            raise PartnerTimeout(f"partner {self.partner}: connecting to {host}:{port} timed out") from None
        except (OSError, ssl.SSLError) as exc:  # SSLCertVerificationError included: its text says why
            raise PartnerUnreachable(f"partner {self.partner}: {type(exc).__name__}: {exc}") from None
        pins = self.pins.get(host)
        if pins:
            ssl_object = transport.get_extra_info("ssl_object")
            der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
            if not der or spki_sha256(der) not in pins:
                transport.abort()
                raise PinMismatch(f"partner {self.partner}: TLS public key of {host} "
                                  "matches none of the configured spki_pins")
        return protocol

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
