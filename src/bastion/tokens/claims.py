"""Registered-claim rules (RFC 7519 §4.1, RFC 9068 §4), scope parsing and RFC 8705 certificate binding,
as pure functions."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bastion.tokens.errors import CertificateMismatch, ClaimRejected, ExpiredToken, InsufficientScope

MAX_LEEWAY = 300.0


@dataclass(frozen=True, slots=True)
class ClaimRules:
    issuer: str
    audiences: frozenset[str]
    leeway: float = 30.0
    max_lifetime: float = 86400.0
    """Tokens whose ``exp - iat`` exceeds this are refused (long-lived bearer tokens are a liability)."""

    def __post_init__(self) -> None:
        if not 0 <= self.leeway <= MAX_LEEWAY:
            raise ValueError(f"leeway must be between 0 and {MAX_LEEWAY:.0f} seconds")
        if not self.audiences:
            raise ValueError("at least one audience is required")


def _number(claims: dict[str, Any], name: str, required: bool) -> float | None:
    value = claims.get(name)
    if value is None:
        if required:
            raise ClaimRejected(f"missing {name}")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ClaimRejected(f"{name} is not a number")
    return float(value)


def check_claims(claims: dict[str, Any], rules: ClaimRules, now: float) -> float:
    """Validate iss, aud, exp, nbf and iat; return ``exp``."""
    if claims.get("iss") != rules.issuer:
        raise ClaimRejected("wrong issuer")
    aud = claims.get("aud")
    auds = [aud] if isinstance(aud, str) else aud
    if not isinstance(auds, list) or not auds or not all(isinstance(a, str) for a in auds):
        raise ClaimRejected("missing or invalid aud")
    if rules.audiences.isdisjoint(auds):
        raise ClaimRejected("wrong audience")
    exp = _number(claims, "exp", True)
    assert exp is not None
    if now >= exp + rules.leeway:
        raise ExpiredToken()
    nbf = _number(claims, "nbf", False)
    if nbf is not None and now + rules.leeway < nbf:
        raise ClaimRejected("token not yet valid")
    iat = _number(claims, "iat", False)
    if iat is not None:
        if now + rules.leeway < iat:
            raise ClaimRejected("issued in the future")
        if exp - iat > rules.max_lifetime:
            raise ClaimRejected("lifetime too long")
    sub = claims.get("sub")
    if sub is not None and not isinstance(sub, str):
        raise ClaimRejected("sub is not a string")
    return exp


def scopes_of(claims: dict[str, Any]) -> frozenset[str]:
    """RFC 8693/9068 ``scope`` (space-separated string) or the common ``scp`` array."""
    scope = claims.get("scope")
    if isinstance(scope, str):
        return frozenset(scope.split())
    scp = claims.get("scp")
    if isinstance(scp, list):
        return frozenset(s for s in scp if isinstance(s, str))
    return frozenset()


def require_scopes(granted: frozenset[str], required: Iterable[str], mode: str = "all") -> None:
    """Exact-match scope check (a substring or prefix of a scope is not that scope)."""
    needed = frozenset(required)
    if not needed:
        return
    ok = needed <= granted if mode == "all" else not needed.isdisjoint(granted)
    if not ok:
        raise InsufficientScope()


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
