"""The KeySource port and strict JWKS parsing.

A ``KeySource`` answers "which public key has this ``kid``" for one issuer, from that issuer's JWKS only.
``parse_jwks`` accepts public asymmetric keys only: symmetric (``oct``) keys and private key material in
a JWKS are dropped, so an HMAC algorithm can never be keyed with anything a JWKS publishes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from joserfc import jwk
from joserfc.errors import JoseError

from bastion.tokens.compact import parse_json_object
from bastion.tokens.errors import MalformedToken

PublicKey = jwk.RSAKey | jwk.ECKey | jwk.OKPKey
MAX_JWKS_BYTES = 256 * 1024
MAX_KEYS = 64
_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


class KeySource(Protocol):
    """One issuer's verification keys."""

    async def get_key(self, kid: str | None) -> PublicKey | None:
        """The key with this ``kid`` (``None``: the only key, if there is exactly one), or None."""
        ...


class StaticKeySource:
    """A fixed key set (tests, or keys pinned in configuration)."""

    def __init__(self, keys: Mapping[str, PublicKey]) -> None:
        self._keys = dict(keys)

    async def get_key(self, kid: str | None) -> PublicKey | None:
        return pick_key(self._keys, kid)

    def __repr__(self) -> str:
        return f"StaticKeySource(kids={sorted(self._keys)!r})"


def pick_key(keys: Mapping[str, PublicKey], kid: str | None) -> PublicKey | None:
    if kid is None:
        return next(iter(keys.values())) if len(keys) == 1 else None
    return keys.get(kid)


def parse_jwks(raw: bytes) -> dict[str, PublicKey]:
    """Parse a JWKS document into ``{kid: public key}``. Raises MalformedToken on a malformed document."""
    if len(raw) > MAX_JWKS_BYTES:
        raise MalformedToken("JWKS too large")
    doc = parse_json_object(raw)
    entries = doc.get("keys")
    if not isinstance(entries, list):
        raise MalformedToken("JWKS has no keys array")
    out: dict[str, PublicKey] = {}
    for entry in entries[:MAX_KEYS]:
        key = _import_public(entry)
        if key is not None and key.kid is not None and key.kid not in out:
            out[key.kid] = key
    return out


def _import_public(entry: Any) -> PublicKey | None:
    if not isinstance(entry, dict) or entry.get("kty") not in ("RSA", "EC", "OKP"):
        return None
    if not isinstance(entry.get("kid"), str) or entry.get("use", "sig") != "sig":
        return None
    public = {k: v for k, v in entry.items() if k not in _PRIVATE_MEMBERS}
    if entry["kty"] == "RSA" and (not isinstance(entry.get("n"), str) or len(entry["n"]) < 342):
        return None  # under 2048 bits (342 base64url characters): refuse, before joserfc warns
    try:
        key = jwk.import_key(public)
    except (JoseError, ValueError, TypeError):
        return None
    return key if isinstance(key, (jwk.RSAKey, jwk.ECKey, jwk.OKPKey)) else None
