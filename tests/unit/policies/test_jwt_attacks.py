"""Unit: the ``jwt`` policy against every attack listed in issue 3 (1). Each test sends the attack and
asserts the rejection; no sockets (a recording fake stands in for the JWKS fetcher port)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from joserfc import jwk
from tokenforge import (
    AUDIENCE,
    EC_KEY,
    ISSUER,
    RSA_KEY,
    b64,
    claims,
    make_deps,
    make_verifier,
    public,
    raw_token,
    sign,
    sign_raw,
)

from bastion.http.problem import Problem
from bastion.policies.jwt import JwtConfig, JwtPolicy
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange
from bastion.tokens.jwks import FetchedDocument, JwksCache, JwksPolicy

pytestmark = pytest.mark.anyio


class RecordingFetcher:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.urls: list[str] = []

    async def fetch(self, url: str) -> FetchedDocument:
        self.urls.append(url)
        return FetchedDocument(json.dumps(self.doc).encode(), "max-age=300")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def policy(clock: FakeClock, scopes: tuple[str, ...] = ("orders:read",), **kw: Any) -> JwtPolicy:
    verifier = kw.pop("verifier", None) or make_verifier(clock)
    return JwtPolicy(JwtConfig(issuer="corp", scopes=list(scopes), **kw), make_deps(clock, verifier))


async def send(p: JwtPolicy, token: str | None, **kw: Any) -> Problem | None:
    headers = kw.pop("headers", None)
    if headers is None:
        headers = [("authorization", f"Bearer {token}")] if token is not None else []
    return await p.on_request(make_exchange(headers=headers, **kw))


def assert_invalid_token(problem: Problem | None) -> None:
    assert problem is not None and problem.status == 401
    assert ("www-authenticate", 'Bearer error="invalid_token"') in problem.headers


async def test_accepts_valid_token_and_sets_principal(clock: FakeClock) -> None:
    p = policy(clock)
    ex = make_exchange(headers=[("authorization", f"Bearer {sign(claims(clock))}")])
    assert await p.on_request(ex) is None
    assert ex.principal is not None and ex.principal.subject == "customer-42"
    assert ex.principal.scopes == {"orders:read", "profile"}


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
async def test_rejects_alg_none_any_case(clock: FakeClock, alg: str) -> None:
    token = raw_token({"alg": alg, "typ": "JWT"}, claims(clock))
    assert_invalid_token(await send(policy(clock), token))
    assert_invalid_token(await send(policy(clock), token[:-0] if token.endswith(".") else token + "."))


async def test_rejects_hs256_keyed_with_rsa_public_key(clock: FakeClock) -> None:
    pem = public(RSA_KEY).as_pem()
    header = {"alg": "HS256", "kid": "rsa-1", "typ": "at+jwt"}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims(clock)).encode())}"
    mac = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    assert_invalid_token(await send(policy(clock), f"{signing_input}.{b64(mac)}"))


async def test_rejects_stripped_signature(clock: FakeClock) -> None:
    token = sign(claims(clock))
    stripped = token.rsplit(".", 1)[0] + "."
    assert_invalid_token(await send(policy(clock), stripped))


async def test_rejects_unknown_kid(clock: FakeClock) -> None:
    other = jwk.ECKey.generate_key("P-256", private=True, parameters={"kid": "attacker"})
    assert_invalid_token(await send(policy(clock), sign(claims(clock), other)))


async def test_rejects_kid_path_traversal(clock: FakeClock) -> None:
    fetcher = RecordingFetcher({"keys": [{**public(EC_KEY).as_dict(), "kid": "ec-1"}]})
    cache = JwksCache("https://issuer.example.test/jwks", fetcher, clock)
    token = sign(claims(clock), EC_KEY, kid="../../../../etc/passwd")
    assert_invalid_token(await send(policy(clock, verifier=make_verifier(clock, cache)), token))
    assert fetcher.urls == ["https://issuer.example.test/jwks"]


@pytest.mark.parametrize("param", ["jku", "x5u", "jwk", "x5c"])
async def test_ignores_and_never_fetches_key_url_headers(clock: FakeClock, param: str) -> None:
    attacker = jwk.ECKey.generate_key("P-256", private=True, parameters={"kid": "evil"})
    values = {"jku": "https://evil.example/jwks.json", "x5u": "https://evil.example/cert.pem",
              "jwk": attacker.as_dict(private=False), "x5c": ["MIIBevil"]}
    fetcher = RecordingFetcher({"keys": [{**public(EC_KEY).as_dict(), "kid": "ec-1"}]})
    cache = JwksCache("https://issuer.example.test/jwks", fetcher, clock)
    token = sign_raw({"alg": "ES256", "kid": "evil", param: values[param]}, claims(clock), attacker)
    assert_invalid_token(await send(policy(clock, verifier=make_verifier(clock, cache)), token))
    assert all(url == "https://issuer.example.test/jwks" for url in fetcher.urls)


async def test_rejects_expired(clock: FakeClock) -> None:
    token = sign(claims(clock, iat=int(clock.now()) - 700, exp=int(clock.now()) - 31))
    assert_invalid_token(await send(policy(clock), token))


async def test_rejects_nbf_in_the_future(clock: FakeClock) -> None:
    assert_invalid_token(await send(policy(clock), sign(claims(clock, nbf=int(clock.now()) + 120))))


async def test_rejects_wrong_issuer(clock: FakeClock) -> None:
    assert_invalid_token(await send(policy(clock), sign(claims(clock, iss="https://evil.example/"))))


@pytest.mark.parametrize("aud", ["billing-api", ["billing-api"], [], None, 7])
async def test_rejects_wrong_or_missing_audience(clock: FakeClock, aud: Any) -> None:
    assert_invalid_token(await send(policy(clock), sign(claims(clock, aud=aud))))


async def test_rejects_missing_scope_with_403(clock: FakeClock) -> None:
    problem = await send(policy(clock, ("orders:write",)), sign(claims(clock)))
    assert problem is not None and problem.status == 403 and "insufficient-scope" in problem.type
    assert any(v.startswith('Bearer error="insufficient_scope"') for _, v in problem.headers)


@pytest.mark.parametrize("granted", ["orders", "orders:rea", "orders:read-all", "xorders:read", "ORDERS:READ",
                                     "orders:readorders:write"])
async def test_rejects_scope_that_is_a_substring_or_superstring(clock: FakeClock, granted: str) -> None:
    problem = await send(policy(clock), sign(claims(clock, scope=granted)))
    assert problem is not None and problem.status == 403


async def test_rejects_token_in_query(clock: FakeClock) -> None:
    assert_invalid_token(await send(policy(clock), None, query=f"access_token={sign(claims(clock))}"))


async def test_rejects_duplicate_authorization_headers(clock: FakeClock) -> None:
    token = sign(claims(clock))
    problem = await send(policy(clock), None, headers=[("authorization", f"Bearer {token}")] * 2)
    assert problem is not None and problem.status == 400


@pytest.mark.parametrize("value", ["Basic dXNlcjpwYXNz", "Token {t}", "Bearer", "Bearer  {t}", "{t}",
                                   "bearer{t}"])
async def test_rejects_wrong_auth_scheme(clock: FakeClock, value: str) -> None:
    header = value.replace("{t}", sign(claims(clock)))
    assert_invalid_token(await send(policy(clock), None, headers=[("authorization", header)]))


@pytest.mark.parametrize("size", [20_000, 100_000, 2_000_000])
async def test_rejects_oversized_token(clock: FakeClock, size: int) -> None:
    big = sign(claims(clock, pad="A" * size))
    assert_invalid_token(await send(policy(clock), big))


@pytest.mark.parametrize("mutate", [
    lambda t: t.replace(".", "*.", 1), lambda t: t.split(".")[0] + "==." + ".".join(t.split(".")[1:]),
    lambda t: "%" + t, lambda t: t[:5] + "\u00e9" + t[5:], lambda t: "a.b.c.d", lambda t: "..",
])
async def test_rejects_malformed_base64(clock: FakeClock, mutate: Any) -> None:
    assert_invalid_token(await send(policy(clock), mutate(sign(claims(clock)))))


async def test_rejects_duplicate_claims(clock: FakeClock) -> None:
    body = json.dumps(claims(clock))[:-1] + ', "sub": "admin"}'
    header = b64(json.dumps({"alg": "ES256", "kid": "ec-1"}).encode())
    signing_input = f"{header}.{b64(body.encode())}"
    token = f"{signing_input}.{b64(_es256(signing_input.encode()))}"
    assert_invalid_token(await send(policy(clock), token))


async def test_rejects_duplicate_header_members(clock: FakeClock) -> None:
    header = '{"alg": "ES256", "kid": "ec-1", "alg": "none"}'
    signing_input = f"{b64(header.encode())}.{b64(json.dumps(claims(clock)).encode())}"
    assert_invalid_token(await send(policy(clock), f"{signing_input}.{b64(_es256(signing_input.encode()))}"))


async def test_rejects_unknown_crit(clock: FakeClock) -> None:
    header = {"alg": "ES256", "kid": "ec-1", "crit": ["urn:example:unknown"], "urn:example:unknown": True}
    token = sign_raw(header, claims(clock))
    assert_invalid_token(await send(policy(clock), token))


async def test_rejects_ecdsa_r_s_zero(clock: FakeClock) -> None:
    token = raw_token({"alg": "ES256", "kid": "ec-1"}, claims(clock), b"\x00" * 64)
    assert_invalid_token(await send(policy(clock), token))


async def test_rejects_key_removed_from_jwks_after_rotation(clock: FakeClock) -> None:
    new_key = jwk.ECKey.generate_key("P-256", private=True, parameters={"kid": "ec-2"})
    fetcher = RecordingFetcher({"keys": [public(EC_KEY).as_dict(), public(new_key).as_dict()]})
    cache = JwksCache("https://issuer.example.test/jwks", fetcher, clock, JwksPolicy(cooldown=30))
    p = policy(clock, verifier=make_verifier(clock, cache))
    old_token = sign(claims(clock, jti="old"))
    assert await send(p, old_token) is None
    fetcher.doc = {"keys": [public(new_key).as_dict()]}
    clock.advance(301)
    fresh = sign(claims(clock, jti="fresh"))  # same key, never seen by the verified cache
    assert_invalid_token(await send(p, fresh))
    assert await send(p, sign(claims(clock, jti="new"), new_key)) is None


def _es256(signing_input: bytes) -> bytes:
    from joserfc.jws import JWSRegistry

    return JWSRegistry.algorithms["ES256"].sign(signing_input, EC_KEY)


def test_forge_constants_are_consistent() -> None:
    assert ISSUER.startswith("https://") and AUDIENCE


def test_report_mode_on_authentication_is_a_security_warning(clock: FakeClock) -> None:
    from bastion.errors import SecurityWarning

    with pytest.warns(SecurityWarning, match="report mode"):
        policy(clock, mode="report")
