"""Token errors. Each class carries a class-level ``code`` (RFC 6750 error code) that the policy maps to a
Problem, and a ``reason`` for the audit event. Messages never contain token contents or claim values.

    TokenError (invalid_token)
    ├── MalformedToken        not three strict base64url parts, bad JSON, duplicate keys, oversized
    ├── AlgorithmRejected     ``none``, not in the issuer's allow-list, or wrong for the key type
    ├── UnknownKey            no key with that ``kid`` in the issuer's JWKS
    ├── BadSignature          signature does not verify (or is an invalid encoding)
    ├── UnsupportedCritical   ``crit`` names an extension we do not understand
    ├── ClaimRejected         iss/aud/exp/nbf/iat/typ rules failed
    │   └── ExpiredToken
    ├── TokenRevoked
    ├── CertificateMismatch   RFC 8705 ``cnf.x5t#S256`` does not match the client certificate
    ├── KeysUnavailable       the JWKS cannot be fetched and no usable last-good set remains
    │   └── StateUnavailable  the revocation / client-status store cannot be read (fail closed, 503)
    └── InsufficientScope (insufficient_scope)
"""

from __future__ import annotations

from typing import ClassVar


class TokenError(Exception):
    code: ClassVar[str] = "invalid_token"
    reason: ClassVar[str] = "invalid token"

    def __init__(self, detail: str = "") -> None:
        self.detail = detail or self.reason
        super().__init__(self.detail)


class MalformedToken(TokenError):
    reason = "malformed token"


class AlgorithmRejected(TokenError):
    reason = "algorithm not allowed"


class UnknownKey(TokenError):
    reason = "unknown signing key"


class BadSignature(TokenError):
    reason = "signature verification failed"


class UnsupportedCritical(TokenError):
    reason = "unsupported critical header"


class ClaimRejected(TokenError):
    reason = "claim check failed"


class ExpiredToken(ClaimRejected):
    reason = "token expired"


class TokenRevoked(TokenError):
    reason = "token revoked"


class CertificateMismatch(TokenError):
    reason = "certificate binding mismatch"


class KeysUnavailable(TokenError):
    reason = "signing keys unavailable"


class StateUnavailable(KeysUnavailable):
    reason = "revocation state unavailable"


class InsufficientScope(TokenError):
    code = "insufficient_scope"
    reason = "insufficient scope"
