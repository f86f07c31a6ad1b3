"""A caching ``KeySource`` over a remote JWKS, sans-I/O apart from the injected ``DocumentFetcher`` port.

- Fresh for the ``Cache-Control: max-age`` the server sent, clamped to ``[min_ttl, max_ttl]``.
- An unknown ``kid`` triggers at most one refresh per ``cooldown`` (no JWKS hammering by forged kids).
- A failed refresh is retried no sooner than ``cooldown``; meanwhile the last good set keeps serving, but
  never longer than ``max_stale`` past its freshness, after which verification fails closed.
- Concurrent misses share one fetch.

``DiscoveredJwks`` finds the JWKS through RFC 8414 / OpenID discovery first: the metadata's ``issuer``
must equal the configured issuer exactly (RFC 8414 §3.3) and its ``jwks_uri`` must be https; otherwise no
key is ever served. Discovery is retried no more than once per cooldown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

import anyio

from bastion.clock import Clock
from bastion.tokens.compact import parse_json_object
from bastion.tokens.errors import KeysUnavailable, MalformedToken
from bastion.tokens.keys import PublicKey, parse_jwks, pick_key

_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d{1,10})\"?", re.IGNORECASE)


class FetchFailed(Exception):
    """The document could not be fetched (network, TLS, status, size). Never carries a response body."""


@dataclass(frozen=True, slots=True)
class FetchedDocument:
    body: bytes
    cache_control: str = ""


class DocumentFetcher(Protocol):
    async def fetch(self, url: str) -> FetchedDocument:
        """GET ``url`` (TLS verified); raise FetchFailed on any failure or non-200 status."""
        ...


@dataclass(frozen=True, slots=True)
class JwksPolicy:
    min_ttl: float = 60.0
    max_ttl: float = 86400.0
    default_ttl: float = 300.0
    cooldown: float = 30.0
    max_stale: float = 3600.0


def freshness(cache_control: str, policy: JwksPolicy) -> float:
    lowered = cache_control.lower()
    if "no-store" in lowered or "no-cache" in lowered:
        return policy.min_ttl
    m = _MAX_AGE.search(cache_control)
    ttl = float(m.group(1)) if m else policy.default_ttl
    return min(max(ttl, policy.min_ttl), policy.max_ttl)


@dataclass
class JwksCache:
    url: str
    fetcher: DocumentFetcher
    clock: Clock
    policy: JwksPolicy = field(default_factory=JwksPolicy)
    fetches: int = 0
    _keys: dict[str, PublicKey] | None = None
    _fresh_until: float = float("-inf")
    _usable_until: float = float("-inf")
    _last_attempt: float = float("-inf")
    _lock: anyio.Lock = field(default_factory=anyio.Lock)

    async def get_key(self, kid: str | None) -> PublicKey | None:
        now = self.clock.monotonic()
        if now >= self._fresh_until:
            await self._refresh(now)
        key = pick_key(self._keys or {}, kid)
        if key is None and kid is not None and now - self._last_attempt >= self.policy.cooldown:
            await self._refresh(now)
            key = pick_key(self._keys or {}, kid)
        if self._keys is None or now > self._usable_until:
            raise KeysUnavailable()
        return key

    async def _refresh(self, started: float) -> None:
        async with self._lock:
            if self._last_attempt >= started:  # another task refreshed while we waited
                return
            now = self.clock.monotonic()
            self._last_attempt = now
            self.fetches += 1
            try:
                doc = await self.fetcher.fetch(self.url)
                keys = parse_jwks(doc.body)
            except (FetchFailed, MalformedToken):
                self._fresh_until = now + self.policy.cooldown
                return
            ttl = freshness(doc.cache_control, self.policy)
            self._keys = keys
            self._fresh_until = now + ttl
            self._usable_until = now + ttl + self.policy.max_stale

    def __repr__(self) -> str:
        return f"JwksCache(url={self.url!r}, kids={sorted(self._keys or {})!r})"


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
