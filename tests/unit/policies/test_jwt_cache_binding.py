"""Unit: the jwt policy's verified-token cache, revocation, RFC 8705 binding and RFC 9068 typ rules."""

from __future__ import annotations

import pytest
from tokenforge import EC_KEY, claims, make_deps, make_verifier, raw_token, sign

from bastion.chain.exchange import Exchange
from bastion.policies.jwt import JwtConfig, JwtPolicy
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange
from bastion.tokens.cache import VerifiedCache
from bastion.tokens.claims import certificate_thumbprint
from bastion.tokens.revocation import MemoryRevocationList
from bastion.tokens.verify import TokenVerifier, VerifiedToken

pytestmark = pytest.mark.anyio


class CountingVerifier(TokenVerifier):
    calls = 0

    async def verify(self, token: str) -> VerifiedToken:
        CountingVerifier.calls += 1
        return await super().verify(token)


def counting(clock: FakeClock) -> CountingVerifier:
    base = make_verifier(clock)
    CountingVerifier.calls = 0
    return CountingVerifier(base.rules, base.algorithms, base.keys, clock)


def req(token: str, cert: bytes | None = None) -> Exchange:
    ex = make_exchange(headers=[("authorization", f"Bearer {token}")])
    if cert is not None:
        object.__setattr__(ex.request, "tls_peer_cert", cert)
    return ex


async def test_cached_token_is_not_verified_twice() -> None:
    clock = FakeClock()
    verifier = counting(clock)
    p = JwtPolicy(JwtConfig(issuer="corp"), make_deps(clock, verifier))
    token = sign(claims(clock))
    for _ in range(5):
        assert await p.on_request(req(token)) is None
    assert CountingVerifier.calls == 1


async def test_cache_never_serves_past_exp() -> None:
    clock = FakeClock()
    p = JwtPolicy(JwtConfig(issuer="corp"), make_deps(clock, counting(clock)))
    token = sign(claims(clock, exp=int(clock.now()) + 60))
    assert await p.on_request(req(token)) is None
    clock.advance(61)  # past exp: the cache entry is gone, the verifier decides (30 s leeway)
    assert await p.on_request(req(token)) is None and CountingVerifier.calls == 2
    clock.advance(30)
    assert (await p.on_request(req(token))) is not None


def test_cache_keys_include_route_requirements_and_evict_oldest() -> None:
    cache: VerifiedCache[str] = VerifiedCache(max_entries=2)
    cache.put(b"t", "scopes=a", "ok", exp=2000, now=1000)
    assert cache.get(b"t", "scopes=a,b", 1000) is None
    assert cache.get(b"t", "scopes=a", 1000) == "ok"
    cache.put(b"u", "r", "u", 2000, 1000)
    cache.put(b"v", "r", "v", 2000, 1000)
    assert len(cache) == 2 and cache.get(b"t", "scopes=a", 1000) is None


async def test_token_cached_on_lenient_route_is_rechecked_on_strict_route() -> None:
    clock = FakeClock()
    deps = make_deps(clock, make_verifier(clock))
    lenient = JwtPolicy(JwtConfig(issuer="corp"), deps)
    strict = JwtPolicy(JwtConfig(issuer="corp", scopes=["admin"]), deps)
    token = sign(claims(clock))
    assert await lenient.on_request(req(token)) is None
    problem = await strict.on_request(req(token))
    assert problem is not None and problem.status == 403


async def test_revoked_token_is_refused_even_when_cached() -> None:
    clock = FakeClock()
    revocations = MemoryRevocationList(clock)
    p = JwtPolicy(JwtConfig(issuer="corp"), make_deps(clock, make_verifier(clock), revocations=revocations))
    token = sign(claims(clock, jti="revoke-me"))
    assert await p.on_request(req(token)) is None
    await revocations.revoke("revoke-me", clock.now() + 600)
    problem = await p.on_request(req(token))
    assert problem is not None and problem.status == 401


async def test_certificate_bound_token_requires_that_certificate() -> None:
    clock = FakeClock()
    p = JwtPolicy(JwtConfig(issuer="corp"), make_deps(clock, make_verifier(clock)))
    cert, other = b"\x30\x82certificate-der", b"\x30\x82another-cert"
    token = sign(claims(clock, cnf={"x5t#S256": certificate_thumbprint(cert)}))
    assert await p.on_request(req(token, cert)) is None
    assert (await p.on_request(req(token, other))) is not None
    assert (await p.on_request(req(token))) is not None


async def test_binding_required_refuses_unbound_token() -> None:
    clock = FakeClock()
    config = JwtConfig(issuer="corp", require_certificate_binding=True)
    p = JwtPolicy(config, make_deps(clock, make_verifier(clock)))
    problem = await p.on_request(req(sign(claims(clock)), b"\x30\x82cert"))
    assert problem is not None and problem.status == 401


async def test_require_typ_refuses_id_tokens() -> None:
    clock = FakeClock()
    p = JwtPolicy(JwtConfig(issuer="corp"), make_deps(clock, make_verifier(clock, require_typ=True)))
    assert (await p.on_request(req(sign(claims(clock), typ="JWT")))) is not None
    assert await p.on_request(req(sign(claims(clock)))) is None


@pytest.mark.parametrize("override", [
    {"iat": 1_800_000_000 + 3600}, {"exp": "tomorrow"}, {"exp": None}, {"exp": True},
    {"iat": 1_800_000_000 - 200_000}, {"sub": 42},
])
async def test_rejects_bad_time_and_subject_claims(override: dict[str, object]) -> None:
    clock = FakeClock()
    p = JwtPolicy(JwtConfig(issuer="corp"), make_deps(clock, make_verifier(clock)))
    assert (await p.on_request(req(sign(claims(clock, **override))))) is not None


async def test_leeway_accepts_small_clock_skew() -> None:
    clock = FakeClock()
    p = JwtPolicy(JwtConfig(issuer="corp"), make_deps(clock, make_verifier(clock)))
    assert await p.on_request(req(sign(claims(clock, nbf=int(clock.now()) + 20)))) is None


async def test_garbage_never_raises() -> None:
    clock = FakeClock()
    p = JwtPolicy(JwtConfig(issuer="corp"), make_deps(clock, make_verifier(clock)))
    for junk in ["e30.e30.", raw_token("[]", "{}"), raw_token('{"alg":"ES256","kid":["x"]}', "{}"),
                 raw_token('{"alg":"ES256","crit":"x"}', "{}"), raw_token("{}", "1" * 5000),
                 raw_token('{"alg":"ES256","kid":"ec-1"}', '{"exp":1e999}', b"\x01" * 64),
                 raw_token('{"alg":"ES256"}', "[" * 3000), EC_KEY.kid or ""]:
        problem = await p.on_request(req(junk))
        assert problem is not None and problem.status == 401


@pytest.mark.anyio
async def test_verified_token_is_not_forwarded_upstream_by_default() -> None:
    from tokenforge import claims, make_deps, make_verifier, sign

    from bastion.policies.jwt import JwtConfig, JwtPolicy
    from bastion.testing.clock import FakeClock
    from bastion.testing.exchange import make_exchange

    clock = FakeClock()
    token = sign(claims(clock))
    for forward, expected in ((False, None), (True, f"Bearer {token}")):
        p = JwtPolicy(JwtConfig(issuer="corp", forward_token=forward), make_deps(clock, make_verifier(clock)))
        ex = make_exchange(headers=[("authorization", f"Bearer {token}"), ("x-other", "kept")])
        assert await p.on_request(ex) is None
        assert ex.forward_headers.get("authorization") == expected
        assert ex.forward_headers.get("x-other") == "kept"
