"""Wiring: build the authentication services the gateway hands to policies, and the OAuth ``App``.

The gateway calls ``build_auth_services(settings, state, clock, base_dir)`` once at start and merges the
result into ``PolicyDeps.services``:

    token_verifiers   {issuer name: TokenVerifier}        (jwt policy)
    introspectors     {issuer name: HttpIntrospector}     (introspection policy)
    revocations       RevocationList (Redis when state is Redis: honoured across instances within 1 s)
    client_status     {issuer name: ClientStatus} for built-in issuers (revoked clients' tokens stop)
    api_keys          ApiKeyStore or None                 (api_key policy)
    oauth_app         OAuthServer or None                 (mount as upstream ``internal:oauth``)
    auth_close        async callable releasing clients and database handles
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bastion.apikeys.store import ApiKeyStore
from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.errors import ConfigError, SecretError
from bastion.oauth.client_auth import ClientAuthenticator
from bastion.oauth.clients import ClientRegistry
from bastion.oauth.config import AuthServerSection
from bastion.oauth.grants import Grants
from bastion.oauth.revocation import MemoryCounter, MemoryOnce, RedisCounter, RedisOnce, RedisRevocationList
from bastion.oauth.server import OAuthServer
from bastion.oauth.signing import SigningKeyRing
from bastion.oauth.store import AuthStore
from bastion.secrets.crypto import MasterKey
from bastion.secrets.references import resolve_reference
from bastion.state import StateBackend
from bastion.tokens.cache import TtlMemo
from bastion.tokens.claims import ClaimRules
from bastion.tokens.config import IssuerConfig, IssuersSection
from bastion.tokens.errors import KeysUnavailable, StateUnavailable
from bastion.tokens.jwks import DiscoveredJwks, JwksCache, JwksPolicy
from bastion.tokens.keys import KeySource, PublicKey
from bastion.tokens.load import HttpFetcher, HttpIntrospector
from bastion.tokens.revocation import MemoryRevocationList, RevocationList
from bastion.tokens.verify import TokenVerifier

T = TypeVar("T")


@dataclass
class AuthComponents:
    """The authorization server's parts, shared by the gateway and the CLI."""

    section: AuthServerSection
    store: AuthStore
    registry: ClientRegistry
    keyring: SigningKeyRing
    api_keys: ApiKeyStore | None


def open_components(section: AuthServerSection, clock: Clock = SYSTEM_CLOCK,
                    base_dir: Path | None = None) -> AuthComponents:
    if section.master_key is None:
        raise ConfigError("oauth.master_key", "a master key reference is required to protect signing keys")
    try:
        master = MasterKey.parse(resolve_reference(section.master_key, base_dir=base_dir))
    except SecretError as exc:
        raise ConfigError("oauth.master_key", str(exc)) from None
    store = AuthStore.open(section.database, section.table_prefix, base_dir)
    keyring = SigningKeyRing(store, master, clock, section.signing, section.token_ttl)
    api_keys = None
    if section.api_keys.hmac_secret is not None:
        try:
            secret = resolve_reference(section.api_keys.hmac_secret, base_dir=base_dir).encode()
        except SecretError as exc:
            raise ConfigError("oauth.api_keys.hmac_secret", str(exc)) from None
        api_keys = ApiKeyStore(store, secret, clock, section.api_keys.prefix, section.api_keys.cache_seconds)
    return AuthComponents(section, store, ClientRegistry(store, clock), keyring, api_keys)


class KeyRingSource:
    """The built-in server's keys, read in-process (no HTTP round trip); unknown kids reload the ring."""

    def __init__(self, keyring: SigningKeyRing) -> None:
        self.keyring = keyring

    async def get_key(self, kid: str | None) -> PublicKey | None:
        if kid is None:
            return None
        try:
            key = await self.keyring.public_key(kid)
            if key is None:
                await self.keyring.refresh(min_age=1.0)
                key = await self.keyring.public_key(kid)
        except Exception as exc:  # the key store's driver errors (sqlite3, asyncpg, OS): fail closed
            raise KeysUnavailable(type(exc).__name__) from None
        return key


class ClientStatus:
    """Is this built-in client still active? One database read per client per ``ttl`` seconds, so revoking
    a client (``bastion clients revoke``) stops its unexpired tokens on every instance within ``ttl``."""

    def __init__(self, store: AuthStore, clock: Clock, ttl: float = 1.0) -> None:
        self.store = store
        self.clock = clock
        self._seen: TtlMemo[bool] = TtlMemo(ttl)

    async def is_active(self, client_id: str) -> bool:
        now = self.clock.monotonic()
        fresh, known = self._seen.get(client_id, now)
        if fresh:
            return bool(known)
        try:
            client = await self.store.get_client(client_id)
        except Exception as exc:  # the store's driver errors: fail closed
            raise StateUnavailable(type(exc).__name__) from None
        active = client is not None and not client.revoked
        self._seen.put(client_id, now, active)
        return active


def build_auth_services(settings: Mapping[str, Any], state: StateBackend, clock: Clock = SYSTEM_CLOCK,
                        base_dir: Path | None = None) -> dict[str, object]:
    issuers = _section(settings.get("issuers"), IssuersSection, IssuersSection({})).root
    oauth_raw = settings.get("oauth")
    section = _section(oauth_raw, AuthServerSection, AuthServerSection(enabled=False))
    closers: list[Callable[[], Awaitable[None]]] = []
    revocations: RevocationList
    if state.redis is not None:
        revocations = RedisRevocationList(state.redis, state.prefix + "auth:", clock)
        once: Any = RedisOnce(state.redis, state.prefix + "auth:", clock)
        failures: Any = RedisCounter(state.redis, state.prefix + "auth:")
    else:
        revocations, once, failures = _memory_state(clock)
    parts = open_components(section, clock, base_dir) if oauth_raw is not None and section.enabled else None
    app = None
    if parts is not None:
        closers.append(parts.store.close)
        token_url = section.issuer.rstrip("/") + "/oauth/token"
        grants = Grants(section.issuer, parts.keyring, revocations, clock, section.token_ttl, section.audience)
        auth = ClientAuthenticator(parts.registry, once, clock, frozenset({token_url, section.issuer}),
                                   section.assertion_max_lifetime)
        app = OAuthServer(grants, auth, parts.keyring, failures, section.brute_force,
                          section.certificate_bound_tokens)
    fetcher = HttpFetcher()
    closers.append(fetcher.aclose)
    verifiers: dict[str, TokenVerifier] = {}
    introspectors: dict[str, HttpIntrospector] = {}
    client_status: dict[str, ClientStatus] = {}
    for name, cfg in issuers.items():
        issuer = cfg.issuer or section.issuer
        source = _key_source(name, cfg, issuer, parts, fetcher, clock)
        if cfg.builtin and parts is not None:
            client_status[name] = ClientStatus(parts.store, clock)
        if source is not None:
            rules = ClaimRules(issuer, frozenset(cfg.audiences), cfg.leeway, cfg.max_lifetime)
            verifiers[name] = TokenVerifier(rules, frozenset(cfg.algorithms), source, clock,
                                            require_typ=cfg.require_typ, max_payload=cfg.max_token_bytes)
        if cfg.introspection is not None:
            intro = cfg.introspection
            secret = resolve_reference(intro.client_secret, base_dir=base_dir)
            introspectors[name] = HttpIntrospector(intro.endpoint, intro.client_id, secret,
                                                   max_cache_seconds=intro.max_cache_seconds)
            closers.append(introspectors[name].aclose)

    async def close() -> None:
        for closer in closers:
            await closer()

    return {"token_verifiers": verifiers, "introspectors": introspectors, "revocations": revocations,
            "client_status": client_status,
            "api_keys": parts.api_keys if parts else None, "oauth_app": app, "auth_close": close}


_MEMORY: weakref.WeakKeyDictionary[Any, tuple[MemoryRevocationList, MemoryOnce, MemoryCounter]] = (
    weakref.WeakKeyDictionary())


def _memory_state(clock: Clock) -> tuple[MemoryRevocationList, MemoryOnce, MemoryCounter]:
    """One set per process (per clock), so a configuration reload forgets no revocation or used ``jti``."""
    state = _MEMORY.get(clock)
    if state is None:
        state = _MEMORY[clock] = (MemoryRevocationList(clock), MemoryOnce(clock), MemoryCounter(clock))
    return state


def _key_source(name: str, cfg: IssuerConfig, issuer: str, parts: AuthComponents | None, fetcher: HttpFetcher,
                clock: Clock) -> KeySource | None:
    policy = JwksPolicy(cfg.jwks.min_ttl, cfg.jwks.max_ttl, min(300.0, cfg.jwks.max_ttl), cfg.jwks.cooldown,
                        cfg.jwks.max_stale)
    if cfg.builtin:
        if parts is None:
            raise ConfigError(f"issuers.{name}.builtin", "the built-in issuer needs an enabled oauth: section")
        return KeyRingSource(parts.keyring)
    if cfg.jwks_uri is not None:
        return JwksCache(cfg.jwks_uri, fetcher, clock, policy)
    if cfg.discovery:
        return DiscoveredJwks(issuer, fetcher, clock, policy)
    return None


def _section(raw: Any, model: Any, default: Any) -> Any:
    if raw is None:
        return default
    return raw if isinstance(raw, model) else model.model_validate(raw)


def components_from_file(path: Path, clock: Clock = SYSTEM_CLOCK) -> AuthComponents:
    """The authorization server's parts from the ``oauth:`` section of a configuration file (for the CLI)."""
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError("", f"cannot read {path}: {type(exc).__name__}", file=str(path)) from None
    section = raw.get("oauth") if isinstance(raw, dict) else None
    if not isinstance(section, dict):
        raise ConfigError("oauth", "no oauth: section", file=str(path))
    return open_components(AuthServerSection.model_validate(section), clock, path.resolve().parent)


def run_with_components(path: Path, fn: Callable[[AuthComponents], Awaitable[T]]) -> T:
    """Run ``fn`` with the parts named by a configuration file on a fresh event loop, closing the database
    afterwards (for the CLI)."""
    import anyio

    async def run() -> T:
        parts = components_from_file(path)
        try:
            return await fn(parts)
        finally:
            await parts.store.close()

    return anyio.run(run)
