"""Property: any one-character mutation of a valid JWT is rejected, and no input makes the jwt policy raise."""

from __future__ import annotations

import json

import anyio
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jwk, jws

from bastion.chain.policy import PolicyDeps
from bastion.policies.jwt import JwtConfig, JwtPolicy
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange
from bastion.tokens.claims import ClaimRules
from bastion.tokens.keys import StaticKeySource
from bastion.tokens.verify import TokenVerifier

KEY = jwk.ECKey.generate_key("P-256", private=True, parameters={"kid": "k"})
CLOCK = FakeClock()
CLAIMS = {"iss": "https://i.test/", "aud": "api", "sub": "u", "exp": int(CLOCK.now()) + 600, "scope": "a"}
TOKEN = jws.serialize_compact({"alg": "ES256", "kid": "k"}, json.dumps(CLAIMS).encode(), KEY)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %\u00e9"


def _policy() -> JwtPolicy:
    public = jwk.import_key(KEY.as_dict(private=False))
    verifier = TokenVerifier(ClaimRules("https://i.test/", frozenset({"api"})), frozenset({"ES256"}),
                             StaticKeySource({"k": public}), CLOCK)  # type: ignore[dict-item]
    deps = PolicyDeps(clock=CLOCK, services={"token_verifiers": {"c": verifier}})
    return JwtPolicy(JwtConfig(issuer="c", scopes=["a"]), deps)


POLICY = _policy()


def _status(token: str) -> int:
    async def run() -> int:
        problem = await POLICY.on_request(make_exchange(headers=[("authorization", f"Bearer {token}")]))
        return 200 if problem is None else problem.status

    return anyio.run(run)


def test_original_token_is_accepted() -> None:
    assert _status(TOKEN) == 200


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=len(TOKEN) - 1), st.sampled_from(ALPHABET))
def test_any_one_character_mutation_is_rejected(position: int, char: str) -> None:
    mutated = TOKEN[:position] + char + TOKEN[position + 1:]
    if mutated == TOKEN:
        return
    assert _status(mutated) in (400, 401)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    assert _status(text.encode("latin-1", "replace").decode("latin-1")) in (400, 401)
