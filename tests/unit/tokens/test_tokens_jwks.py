"""Unit: JWKS cache (HTTP cache headers, unknown-kid cooldown, stale serving), discovery, JWKS parsing."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwk

from bastion.testing.clock import FakeClock
from bastion.tokens.errors import KeysUnavailable
from bastion.tokens.jwks import DiscoveredJwks, FetchedDocument, FetchFailed, JwksCache, JwksPolicy, freshness
from bastion.tokens.keys import parse_jwks

pytestmark = pytest.mark.anyio
URL = "https://idp.example.test/jwks"


def key(kid: str) -> dict[str, Any]:
    return {**jwk.ECKey.generate_key("P-256", private=False).as_dict(), "kid": kid}


class FakeFetcher:
    def __init__(self, docs: dict[str, Any], cache_control: str = "max-age=300") -> None:
        self.docs = docs
        self.cache_control = cache_control
        self.calls: list[str] = []
        self.down = False

    async def fetch(self, url: str) -> FetchedDocument:
        self.calls.append(url)
        if self.down or url not in self.docs:
            raise FetchFailed("down")
        return FetchedDocument(json.dumps(self.docs[url]).encode(), self.cache_control)


@pytest.mark.parametrize(("header", "ttl"), [
    ("max-age=600", 600), ("public, max-age=10", 60), ("max-age=999999999", 86400), ("no-store", 60), ("", 300),
])
def test_freshness_honours_cache_control_within_bounds(header: str, ttl: float) -> None:
    assert freshness(header, JwksPolicy()) == ttl


async def test_serves_from_cache_until_max_age_then_refreshes() -> None:
    clock = FakeClock()
    fetcher = FakeFetcher({URL: {"keys": [key("a")]}}, "max-age=120")
    cache = JwksCache(URL, fetcher, clock)
    assert await cache.get_key("a") is not None
    clock.advance(119)
    assert await cache.get_key("a") is not None and len(fetcher.calls) == 1
    clock.advance(2)
    await cache.get_key("a")
    assert len(fetcher.calls) == 2


async def test_unknown_kid_refreshes_at_most_once_per_cooldown() -> None:
    clock = FakeClock()
    fetcher = FakeFetcher({URL: {"keys": [key("a")]}})
    cache = JwksCache(URL, fetcher, clock, JwksPolicy(cooldown=30))
    await cache.get_key("a")
    for i in range(50):
        assert await cache.get_key(f"forged-{i}") is None
    assert len(fetcher.calls) == 1
    clock.advance(31)
    fetcher.docs[URL] = {"keys": [key("a"), key("b")]}
    assert await cache.get_key("b") is not None and len(fetcher.calls) == 2


async def test_serves_last_good_set_while_unreachable_then_fails_closed() -> None:
    clock = FakeClock()
    fetcher = FakeFetcher({URL: {"keys": [key("a")]}}, "max-age=60")
    cache = JwksCache(URL, fetcher, clock, JwksPolicy(min_ttl=60, cooldown=30, max_stale=600))
    await cache.get_key("a")
    fetcher.down = True
    clock.advance(300)
    assert await cache.get_key("a") is not None
    calls = len(fetcher.calls)
    await cache.get_key("a")
    assert len(fetcher.calls) == calls  # failed refresh is not retried before the cooldown
    clock.advance(400)
    with pytest.raises(KeysUnavailable):
        await cache.get_key("a")


async def test_never_loaded_fails_closed() -> None:
    fetcher = FakeFetcher({})
    with pytest.raises(KeysUnavailable):
        await JwksCache(URL, fetcher, FakeClock()).get_key("a")


def test_parse_jwks_drops_symmetric_private_and_weak_keys() -> None:
    ec_private = {**jwk.ECKey.generate_key("P-256", private=True).as_dict(private=True), "kid": "p"}
    numbers = rsa.generate_private_key(65537, 1024).public_key().public_numbers()
    weak_rsa = {"kty": "RSA", "kid": "weak", "e": "AQAB",
                "n": base64.urlsafe_b64encode(numbers.n.to_bytes(128, "big")).rstrip(b"=").decode()}
    doc = {"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"}, ec_private, weak_rsa,
                    {**key("enc"), "use": "enc"}, key("good"), "junk", {"kty": "EC", "kid": "broken"}]}
    keys = parse_jwks(json.dumps(doc).encode())
    assert sorted(keys) == ["good", "p"]
    assert not keys["p"].is_private


async def test_discovery_requires_matching_issuer() -> None:
    issuer = "https://idp.example.test"
    fetcher = FakeFetcher({
        issuer + "/.well-known/openid-configuration": {"issuer": "https://evil.example", "jwks_uri": URL},
        issuer + "/.well-known/oauth-authorization-server": {"issuer": issuer, "jwks_uri": URL},
        URL: {"keys": [key("a")]},
    })
    source = DiscoveredJwks(issuer, fetcher, FakeClock(), JwksPolicy())
    assert await source.get_key("a") is not None


async def test_discovery_refuses_plain_http_jwks_uri() -> None:
    issuer = "https://idp.example.test"
    fetcher = FakeFetcher({issuer + "/.well-known/openid-configuration":
                           {"issuer": issuer, "jwks_uri": "http://idp.example.test/jwks"}})
    with pytest.raises(KeysUnavailable):
        await DiscoveredJwks(issuer, fetcher, FakeClock(), JwksPolicy()).get_key("a")
