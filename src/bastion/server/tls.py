"""TLS for listeners: 1.2 minimum (1.3 preferred), AEAD ciphers only, optional client certificates."""

from __future__ import annotations

import ssl
from pathlib import Path

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
