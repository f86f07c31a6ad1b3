"""``introspection`` policy: opaque bearer tokens checked at the issuer's RFC 7662 endpoint.

The gateway authenticates to the endpoint as a client (``issuers.<name>.introspection``). Only
``"active": true`` (the JSON boolean) with an unexpired ``exp`` counts. Results, positive ones only, are
cached by token hash together with this route's requirements, never past ``exp`` nor the configured
maximum. An unreachable endpoint fails closed with 503.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Policy, PolicyDeps
from bastion.errors import ConfigError
from bastion.http.problem import SERVICE_UNAVAILABLE, Problem
from bastion.policies.bearer import (
    BearerConfig,
    BearerSource,
    bearer_or_problem,
    insufficient_scope,
    invalid_token,
    warn_if_report_only,
)
from bastion.policies.jwt import principal_from_claims
from bastion.tokens.cache import VerifiedCache, token_digest
from bastion.tokens.claims import require_scopes, scopes_of
from bastion.tokens.errors import InsufficientScope
from bastion.tokens.jwks import FetchFailed


class Introspector(Protocol):
    max_cache_seconds: float

    async def introspect(self, token: str) -> dict[str, Any]: ...


class IntrospectionConfig(BearerConfig):
    """``issuer`` names an ``issuers:`` entry with an ``introspection`` block."""


class IntrospectionPolicy(Policy):
    name = "introspection"
    config_model = IntrospectionConfig
    authenticates: ClassVar[bool] = True
    config: IntrospectionConfig

    def __init__(self, config: IntrospectionConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        warn_if_report_only(self.name, config)
        introspectors: dict[str, Introspector] = deps.services.get("introspectors") or {}
        client = introspectors.get(config.issuer)
        if client is None:
            raise ConfigError("issuer", f"issuer {config.issuer!r} has no introspection endpoint configured")
        self.client = client
        self.clock = deps.clock
        self.source = BearerSource(allow_query=config.allow_query)
        self.cache: VerifiedCache[dict[str, Any]] = VerifiedCache(config.cache_entries, client.max_cache_seconds)
        self.requirements = f"{config.issuer}|{config.scopes_mode}|{','.join(sorted(config.scopes))}"

    async def on_request(self, ex: Exchange) -> Problem | None:
        token = bearer_or_problem(ex, self.source, self.name)
        if isinstance(token, Problem):
            return token
        digest, now = token_digest(token), self.clock.now()
        claims = self.cache.get(digest, self.requirements, now)
        if claims is None:
            try:
                result = await self.client.introspect(token)
            except FetchFailed:
                ex.notes[self.name] = {"reason": "introspection unavailable"}
                return SERVICE_UNAVAILABLE.problem("Token verification is temporarily unavailable.",
                                                   headers=(("retry-after", "5"),))
            exp = result.get("exp")
            good_exp = isinstance(exp, (int, float)) and not isinstance(exp, bool) and now < exp
            if result.get("active") is not True or (exp is not None and not good_exp):
                ex.notes[self.name] = {"reason": "inactive token"}
                return invalid_token()
            claims = result
            until = float(exp) if isinstance(exp, (int, float)) else now + self.client.max_cache_seconds
            self.cache.put(digest, self.requirements, claims, until, now)
        scopes = scopes_of(claims)
        try:
            require_scopes(scopes, self.config.scopes, self.config.scopes_mode)
        except InsufficientScope:
            ex.notes[self.name] = {"reason": "insufficient scope"}
            return insufficient_scope(self.config.scopes)
        ex.principal = principal_from_claims(claims, scopes, "introspection")
        return None
