"""RFC 8705 certificate-bound access tokens: the ``x5t#S256`` thumbprint and the binding check."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from bastion.tokens.errors import CertificateMismatch


def certificate_thumbprint(der: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode("ascii")


def check_binding(claims: dict[str, Any], peer_cert: bytes | None, required: bool) -> None:
    """RFC 8705 §3: a token bound to a certificate is only good with that certificate."""
    cnf = claims.get("cnf")
    bound = cnf.get("x5t#S256") if isinstance(cnf, dict) else None
    if cnf is not None and not isinstance(bound, str):
        if required or not isinstance(cnf, dict):
            raise CertificateMismatch()
    if bound is None:
        if required:
            raise CertificateMismatch()
        return
    if peer_cert is None or not hmac.compare_digest(certificate_thumbprint(peer_cert), bound):
        raise CertificateMismatch()
