"""Test support (not a test module): keys, an issuer verifier and hand-built tokens, including forged ones."""

from __future__ import annotations

import base64
import json
from typing import Any

from joserfc import jwk, jws

from bastion.chain.policy import PolicyDeps
from bastion.testing.clock import FakeClock
from bastion.tokens.claims import ClaimRules
from bastion.tokens.keys import KeySource, StaticKeySource
from bastion.tokens.verify import TokenVerifier

ISSUER = "https://issuer.example.test/"
AUDIENCE = "orders-api"
EC_KEY = jwk.ECKey.generate_key("P-256", private=True, parameters={"kid": "ec-1"})
RSA_KEY = jwk.RSAKey.generate_key(2048, private=True, parameters={"kid": "rsa-1"})


def public(key: jwk.ECKey | jwk.RSAKey) -> Any:
    return jwk.import_key(key.as_dict(private=False))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def claims(clock: FakeClock, **overrides: Any) -> dict[str, Any]:
    now = int(clock.now())
    base: dict[str, Any] = {
        "iss": ISSUER, "aud": AUDIENCE, "sub": "customer-42", "client_id": "shop-web",
        "iat": now, "exp": now + 600, "jti": "jti-1", "scope": "orders:read profile",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload: dict[str, Any], key: Any = EC_KEY, alg: str = "ES256", **header: Any) -> str:
    protected = {"alg": alg, "kid": key.kid, "typ": "at+jwt", **header}
    return jws.serialize_compact(protected, json.dumps(payload).encode(), key, algorithms=[alg])


def sign_raw(header: dict[str, Any], payload: dict[str, Any], key: Any = EC_KEY) -> str:
    """Sign without joserfc's header checks, as an attacker holding a trusted key's twin would."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    sig = jws.JWSRegistry.algorithms[header["alg"]].sign(signing_input.encode(), key)
    return f"{signing_input}.{b64(sig)}"


def raw_token(header: dict[str, Any] | str, payload: dict[str, Any] | str, signature: bytes = b"") -> str:
    h = header if isinstance(header, str) else json.dumps(header)
    p = payload if isinstance(payload, str) else json.dumps(payload)
    return f"{b64(h.encode())}.{b64(p.encode())}.{b64(signature)}"


def make_verifier(clock: FakeClock, keys: KeySource | None = None,
                  algorithms: tuple[str, ...] = ("ES256", "RS256"),
                  require_typ: bool = False) -> TokenVerifier:
    source = keys or StaticKeySource({"ec-1": public(EC_KEY), "rsa-1": public(RSA_KEY)})
    rules = ClaimRules(ISSUER, frozenset({AUDIENCE}), leeway=30)
    return TokenVerifier(rules, frozenset(algorithms), source, clock, require_typ=require_typ)


def make_deps(clock: FakeClock, verifier: TokenVerifier, **services: Any) -> PolicyDeps:
    return PolicyDeps(clock=clock, services={"token_verifiers": {"corp": verifier}, **services})
