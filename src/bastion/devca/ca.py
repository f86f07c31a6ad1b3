"""Generate a development CA, server and client certificates (ECDSA P-256, short-lived)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write(path: Path, data: bytes, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if private:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    else:
        path.write_bytes(data)


@dataclass
class DevCA:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @classmethod
    def create(cls, name: str = "Bastion Development CA", days: int = 365, path_length: int | None = 0) -> DevCA:
        """A self-signed root; ``path_length=1`` lets it sign one level of intermediates."""
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        return cls(key, _ca_certificate(subject, key, subject, key, days, path_length))

    def intermediate(self, name: str, days: int = 365) -> DevCA:
        """An intermediate CA issued by this one (which must have been created with ``path_length >= 1``)."""
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        return DevCA(key, _ca_certificate(subject, key, self.cert.subject, self.key, days, 0))

    @classmethod
    def load(cls, cert_path: Path, key_path: Path) -> DevCA:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return cls(key, cert)

    def issue(self, common_name: str, *, dns: list[str] = (), ips: list[str] = (), client: bool = False,  # type: ignore[assignment]
              days: int = 90, not_after: dt.datetime | None = None) -> tuple[bytes, bytes]:
        """Return (certificate PEM, private key PEM) for a server or client leaf."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        sans: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
        sans += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
            .issuer_name(self.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(not_after or now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH if client
                                                  else ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
        )
        if sans:
            builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        cert = builder.sign(self.key, hashes.SHA256())
        return cert.public_bytes(serialization.Encoding.PEM), _key_pem(key)

    def save(self, cert_path: Path, key_path: Path) -> None:
        _write(cert_path, self.cert.public_bytes(serialization.Encoding.PEM))
        _write(key_path, _key_pem(self.key), private=True)


def _ca_certificate(subject: x509.Name, key: ec.EllipticCurvePrivateKey, issuer: x509.Name,
                    issuer_key: ec.EllipticCurvePrivateKey, days: int, path_length: int | None) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer_key is not key:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def ensure_demo_pki(folder: Path) -> dict[str, Path]:
    """Create (once) a CA, a gateway certificate, an upstream certificate and a client certificate."""
    paths = {
        "ca": folder / "ca.pem", "ca_key": folder / "ca-key.pem",
        "gateway": folder / "gateway.pem", "gateway_key": folder / "gateway-key.pem",
        "upstream": folder / "upstream.pem", "upstream_key": folder / "upstream-key.pem",
        "client": folder / "client.pem", "client_key": folder / "client-key.pem",
    }
    if all(p.exists() for p in paths.values()):
        return paths
    ca = DevCA.create()
    ca.save(paths["ca"], paths["ca_key"])
    for name, cn, client in (("gateway", "localhost", False), ("upstream", "shop.internal", False),
                             ("client", "demo-client", True)):
        dns = [] if client else ["localhost", cn]
        ips = [] if client else ["127.0.0.1", "::1"]
        cert, key = ca.issue(cn, dns=dns, ips=ips, client=client)
        _write(paths[name], cert + ca.cert.public_bytes(serialization.Encoding.PEM) if not client else cert)
        _write(paths[f"{name}_key"], key, private=True)
    return paths
