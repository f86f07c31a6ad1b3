"""A ``KeySource`` that finds the JWKS through RFC 8414 / OpenID discovery, then caches it (``jwks.py``).

The metadata's ``issuer`` must equal the configured issuer exactly (RFC 8414 §3.3), and its ``jwks_uri``
must be https; otherwise no key is ever served. Discovery is retried no more than once per cooldown.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bastion.clock import Clock
from bastion.tokens.compact import parse_json_object
from bastion.tokens.errors import KeysUnavailable, MalformedToken
from bastion.tokens.jwks import DocumentFetcher, FetchFailed, JwksCache, JwksPolicy
from bastion.tokens.keys import PublicKey

WELL_KNOWN = ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")


class DiscoveredJwks:
    def __init__(self, issuer: str, fetcher: DocumentFetcher, clock: Clock, policy: JwksPolicy) -> None:
        self.issuer = issuer
        self.fetcher = fetcher
        self.clock = clock
        self.policy = policy
        self._cache: JwksCache | None = None
        self._last_attempt = float("-inf")

    async def get_key(self, kid: str | None) -> PublicKey | None:
        if self._cache is None:
            now = self.clock.monotonic()
            if now - self._last_attempt < self.policy.cooldown:
                raise KeysUnavailable()
            self._last_attempt = now
            jwks_uri = await self._discover()
            if jwks_uri is None:
                raise KeysUnavailable()
            self._cache = JwksCache(jwks_uri, self.fetcher, self.clock, self.policy)
        return await self._cache.get_key(kid)

    async def _discover(self) -> str | None:
        base = self.issuer.rstrip("/")
        for suffix in WELL_KNOWN:
            try:
                doc = parse_json_object((await self.fetcher.fetch(base + suffix)).body)
            except (FetchFailed, MalformedToken):
                continue
            uri = doc.get("jwks_uri")
            if doc.get("issuer") != self.issuer or not isinstance(uri, str):
                continue
            parts = urlsplit(uri)
            if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")):
                return uri
        return None

    def __repr__(self) -> str:
        return f"DiscoveredJwks(issuer={self.issuer!r})"
