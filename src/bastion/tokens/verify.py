"""JWT verification per RFC 8725, one ``TokenVerifier`` per trusted issuer.

Order: strict parse (``compact.py``) → header rules (alg allow-list, never ``none``, ``crit``, ``typ``,
``jku``/``x5u``/``jwk``/``x5c`` ignored and never fetched) → key by ``kid`` from this issuer's
KeySource only → algorithm/key-type agreement (never HMAC with an asymmetric key) → signature, with
ECDSA ``r``/``s`` range-checked → claims. Every failure is a ``TokenError``; nothing else escapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from joserfc import jwk
from joserfc.errors import JoseError
from joserfc.jws import JWSRegistry

from bastion.clock import Clock
from bastion.tokens.claims import ClaimRules, check_claims, scopes_of
from bastion.tokens.compact import MAX_PAYLOAD_BYTES, parse_compact
from bastion.tokens.errors import (
    AlgorithmRejected,
    BadSignature,
    ClaimRejected,
    UnknownKey,
    UnsupportedCritical,
)
from bastion.tokens.keys import KeySource, PublicKey

KEY_TYPES = {"RS": jwk.RSAKey, "PS": jwk.RSAKey, "ES": jwk.ECKey, "Ed": jwk.OKPKey}
SUPPORTED_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"}
)
_CURVE_ORDER = {  # the group order n of each NIST curve (FIPS 186-4 D.1.2)
    "P-256": int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16),
    "P-384": int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
                 "581A0DB248B0A77AECEC196ACCC52973", 16),
    "P-521": int("1" + "F" * 65 + "A51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409", 16),
}
UNDERSTOOD_CRIT: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    claims: dict[str, Any]
    scopes: frozenset[str]
    exp: float
    kid: str | None
    subject: str = ""
    client_id: str | None = None
    issuer: str | None = None

    def __repr__(self) -> str:
        return f"VerifiedToken(kid={self.kid!r}, exp={self.exp!r}, scopes={sorted(self.scopes)!r})"


class TokenVerifier:
    def __init__(
        self,
        rules: ClaimRules,
        algorithms: frozenset[str],
        keys: KeySource,
        clock: Clock,
        *,
        require_typ: bool = False,
        max_payload: int = MAX_PAYLOAD_BYTES,
    ) -> None:
        bad = {a for a in algorithms if a not in SUPPORTED_ALGORITHMS}
        if bad or not algorithms:
            raise ValueError(f"unsupported algorithms {sorted(bad)}; use {sorted(SUPPORTED_ALGORITHMS)}")
        self.rules = rules
        self.algorithms = algorithms
        self.keys = keys
        self.clock = clock
        self.require_typ = require_typ
        self.max_payload = max_payload

    async def verify(self, token: str) -> VerifiedToken:
        jws = parse_compact(token, self.max_payload)
        header = jws.header
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.algorithms:
            raise AlgorithmRejected()
        check_header(header, self.require_typ)
        kid = header.get("kid")
        if kid is not None and (not isinstance(kid, str) or len(kid) > 256):
            raise UnknownKey()
        key = await self.keys.get_key(kid)
        if key is None:
            raise UnknownKey()
        check_signature(alg, key, jws.signing_input, jws.signature)
        exp = check_claims(jws.claims, self.rules, self.clock.now())
        claims = jws.claims
        client_id = claims.get("client_id") or claims.get("azp")
        client = str(client_id) if client_id else None
        return VerifiedToken(claims, scopes_of(claims), exp, kid, str(claims.get("sub") or client or ""), client,
                             self.rules.issuer)


def check_header(header: dict[str, Any], require_typ: bool) -> None:
    crit = header.get("crit")
    if crit is not None:
        if not isinstance(crit, list) or not crit or any(c not in UNDERSTOOD_CRIT for c in crit):
            raise UnsupportedCritical()
    if header.get("b64") is not None:
        raise UnsupportedCritical()
    typ = header.get("typ")
    if require_typ:
        if not isinstance(typ, str) or typ.lower() not in ("at+jwt", "application/at+jwt"):
            raise ClaimRejected("typ is not at+jwt")
    elif typ is not None and not isinstance(typ, str):
        raise ClaimRejected("typ is not a string")


def check_signature(alg: str, key: PublicKey, signing_input: bytes, signature: bytes) -> None:
    expected = KEY_TYPES.get(alg[:2])
    if expected is None or not isinstance(key, expected):
        raise AlgorithmRejected("algorithm does not match the key type")
    if isinstance(key, jwk.ECKey):
        _check_ecdsa_encoding(key, signature)
    try:
        model = JWSRegistry.algorithms[alg]
        model.check_key(key)
        ok = model.verify(signing_input, signature, key)
    except (JoseError, ValueError, TypeError):
        raise BadSignature() from None
    if not ok:
        raise BadSignature()


def _check_ecdsa_encoding(key: jwk.ECKey, signature: bytes) -> None:
    """Reject r or s outside [1, n-1] (CVE-2022-21449 "psychic signatures") and wrong lengths."""
    order = _CURVE_ORDER.get(key.curve_name)
    size = (key.curve_key_size + 7) // 8
    if order is None or len(signature) != 2 * size:
        raise BadSignature()
    r = int.from_bytes(signature[:size], "big")
    s = int.from_bytes(signature[size:], "big")
    if not (0 < r < order and 0 < s < order):
        raise BadSignature()

