"""TLS for listeners: 1.2 minimum (1.3 preferred), AEAD ciphers only, optional client certificates."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

from bastion.config.models import ListenerTLS
from bastion.errors import ConfigError

# TLS 1.2 suites with forward secrecy and AEAD only; TLS 1.3 suites are all AEAD.
TLS12_CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20:!aNULL:!eNULL:!MD5:!SHA1:!DSS"


def server_context(tls: ListenerTLS, base_dir: Path, path: str) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3 if tls.min_version == "1.3" else ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(TLS12_CIPHERS)
    ctx.options |= ssl.OP_NO_COMPRESSION | ssl.OP_CIPHER_SERVER_PREFERENCE | ssl.OP_NO_RENEGOTIATION
    ctx.set_alpn_protocols(["http/1.1"])
    try:
        ctx.load_cert_chain(str(base_dir / tls.cert), str(base_dir / tls.key))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"{path}.tls", f"cannot load certificate/key: {exc}") from None
    if tls.client_ca:
        try:
            ctx.load_verify_locations(cafile=str(base_dir / tls.client_ca))
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"{path}.tls.client_ca", f"cannot load CA bundle: {exc}") from None
        ctx.verify_mode = ssl.CERT_REQUIRED if tls.client_auth == "required" else ssl.CERT_OPTIONAL
    return ctx


def presented_chain(ssl_object: Any) -> tuple[bytes, ...]:
    """DER certificates the peer sent in its handshake, leaf first (empty if none or unavailable).

    The ``mtls`` policy re-verifies the client's chain itself, so it needs the intermediates the client
    presented, not only the leaf. Python 3.13 exposes ``get_unverified_chain()`` on ``SSLObject``; 3.10–3.12
    have it on the private ``_sslobj`` and return certificate objects instead of DER bytes.
    """
    getter = getattr(ssl_object, "get_unverified_chain", None)
    if getter is None:
        getter = getattr(getattr(ssl_object, "_sslobj", None), "get_unverified_chain", None)
    if getter is None:
        return ()
    try:
        certs = getter() or []
        return tuple(c if isinstance(c, bytes) else c.public_bytes(ssl._ssl.ENCODING_DER)  # type: ignore[attr-defined]
                     for c in certs)
    except (ssl.SSLError, ValueError, AttributeError):
        return ()
