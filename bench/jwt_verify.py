"""Uncached JWT verification cost per token (issue 3 asks for it next to the cached ``make bench`` figure).

Mints distinct tokens (so nothing is cached) with ES256, EdDSA and RS256 keys and times
``TokenVerifier.verify`` in process — parse, header checks, signature, claims — best of five runs:

    python -m bench.jwt_verify [--tokens 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import warnings
from typing import Any, cast

from joserfc import jwk, jws

from bastion.clock import SYSTEM_CLOCK
from bastion.tokens.claims import ClaimRules
from bastion.tokens.keys import StaticKeySource
from bastion.tokens.verify import TokenVerifier

ISSUER, AUDIENCE = "https://bench.example.test", "api"
KEYS: dict[str, Any] = {
    "ES256": jwk.ECKey.generate_key("P-256", private=True, parameters={"kid": "es"}),
    "EdDSA": jwk.OKPKey.generate_key("Ed25519", private=True, parameters={"kid": "ed"}),
    "RS256": jwk.RSAKey.generate_key(2048, private=True, parameters={"kid": "rs"}),
}


def mint(alg: str, n: int) -> list[str]:
    key, now = KEYS[alg], int(time.time())
    out = []
    for i in range(n):
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": f"client-{i}", "client_id": "bench", "iat": now,
                  "exp": now + 600, "jti": f"jti-{alg}-{i}", "scope": "orders:read"}
        out.append(jws.serialize_compact({"alg": alg, "kid": key.kid, "typ": "at+jwt"},
                                         json.dumps(claims).encode(), key, algorithms=[alg]))
    return out


async def measure(alg: str, tokens: list[str]) -> float:
    public = StaticKeySource({KEYS[alg].kid: cast(Any, jwk.import_key(KEYS[alg].as_dict(private=False)))})
    verifier = TokenVerifier(ClaimRules(ISSUER, frozenset({AUDIENCE}), leeway=30), frozenset({alg}), public,
                             SYSTEM_CLOCK)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for token in tokens:
            await verifier.verify(token)
        best = min(best, (time.perf_counter() - start) / len(tokens))
    return best * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tokens", type=int, default=2000)
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # joserfc flags EdDSA as deprecated (RFC 9864); measured all the same
    for alg in KEYS:
        us = asyncio.run(measure(alg, mint(alg, args.tokens)))
        print(f"{alg:<6} uncached verification: {us:7.1f} µs per token")


if __name__ == "__main__":
    main()
