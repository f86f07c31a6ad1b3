"""TLS for egress: verification is always on, TLS 1.2+, optional mTLS client key and SPKI pins.

``ssl`` needs the client key as a file, so a key that comes from the secret store is written to a
private temporary file (mode 0600), loaded and unlinked at once.
"""

from __future__ import annotations

import base64
import hashlib
import os
import ssl
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from bastion.errors import ConfigError


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
