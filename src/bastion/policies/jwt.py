"""``jwt`` policy: bearer JWTs from one trusted issuer (RFC 6750, RFC 8725, RFC 9068, RFC 8705 binding).

Thin adapter over ``bastion.tokens``: extract the one bearer token, look it up in the verified cache
(keyed by token hash and this route's requirements), else verify it with the issuer's ``TokenVerifier``;
then, on every request, check revocation, the certificate binding and the scopes, and set
``ex.principal``. Any token problem is a 401 ``invalid_token``; a missing scope a 403
``insufficient_scope``; nothing about a token can produce a 500.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Protocol

from pydantic import Field

from bastion.chain.exchange import Exchange, Principal
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
from bastion.tokens.cache import VerifiedCache, token_digest
from bastion.tokens.claims import check_binding, require_scopes
from bastion.tokens.errors import (
    InsufficientScope,
    KeysUnavailable,
    TokenError,
    TokenRevoked,
)
from bastion.tokens.revocation import RevocationList
from bastion.tokens.verify import TokenVerifier, VerifiedToken


class ClientStatus(Protocol):
    async def is_active(self, client_id: str) -> bool: ...


class JwtConfig(BearerConfig):
    header: str = "authorization"
    scheme: str = "Bearer"
    """Authorization scheme; empty when ``header`` carries the bare token."""
    require_certificate_binding: bool = False
    """Require RFC 8705 ``cnf.x5t#S256`` matching the client certificate; bound tokens are always checked."""
    cache_ttl: Annotated[float, Field(gt=0, le=3600)] = 300.0
    forward_token: bool = False
    """Forward the bearer token upstream after verifying it. Off by default (as Envoy's jwt_authn): the
    upstream gets the request, not a replayable credential it could leak or misuse."""


class JwtPolicy(Policy):
    name = "jwt"
    config_model = JwtConfig
    authenticates: ClassVar[bool] = True
    config: JwtConfig

    def __init__(self, config: JwtConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        warn_if_report_only(self.name, config)
        verifiers: dict[str, TokenVerifier] = deps.services.get("token_verifiers") or {}
        verifier = verifiers.get(config.issuer)
        if verifier is None:
            raise ConfigError("issuer", f"unknown issuer {config.issuer!r}; define it under issuers:")
        self.verifier = verifier
        self.revocations: RevocationList | None = deps.services.get("revocations")
        self.client_status: ClientStatus | None = (deps.services.get("client_status") or {}).get(config.issuer)
        self.clock = deps.clock
        self.source = BearerSource(config.header.lower(), config.scheme.lower(), config.allow_query,
                                   verifier.max_payload * 4 // 3 + 2048, check_charset=False)
        self.required = frozenset(config.scopes)
        self.cache: VerifiedCache[VerifiedToken] = VerifiedCache(config.cache_entries, config.cache_ttl)
        self.requirements = "|".join([
            config.issuer, verifier.rules.issuer, ",".join(sorted(verifier.rules.audiences)),
            ",".join(sorted(verifier.algorithms)), config.scopes_mode, ",".join(sorted(config.scopes)),
            str(config.require_certificate_binding),
        ])

    async def on_request(self, ex: Exchange) -> Problem | None:
        token = bearer_or_problem(ex, self.source, self.name)
        if isinstance(token, Problem):
            return token
        try:
            verified = await self._verified(token)
            if self.revocations is not None:
                jti = verified.claims.get("jti")
                if isinstance(jti, str) and await self.revocations.is_revoked(jti):
                    raise TokenRevoked()
            if self.client_status is not None and not await self.client_status.is_active(verified.client_id or ""):
                raise TokenRevoked()
            check_binding(verified.claims, ex.request.tls_peer_cert, self.config.require_certificate_binding)
            require_scopes(verified.scopes, self.required, self.config.scopes_mode)
        except InsufficientScope:
            ex.notes[self.name] = {"reason": InsufficientScope.reason}
            return insufficient_scope(self.config.scopes)
        except KeysUnavailable as exc:
            ex.notes[self.name] = {"reason": exc.reason}
            return SERVICE_UNAVAILABLE.problem("Token verification is temporarily unavailable.",
                                               headers=(("retry-after", "5"),))
        except TokenError as exc:
            ex.notes[self.name] = {"reason": exc.reason}
            return invalid_token()
        ex.principal = Principal(verified.subject, "jwt", verified.client_id, verified.scopes,
                                 dict(verified.claims), verified.issuer)
        if not self.config.forward_token:
            ex.forward_headers.remove(self.source.header)
        return None

    async def _verified(self, token: str) -> VerifiedToken:
        digest = token_digest(token)
        now = self.clock.now()
        cached = self.cache.get(digest, self.requirements, now)
        if cached is not None:
            return cached
        verified = await self.verifier.verify(token)
        self.cache.put(digest, self.requirements, verified, verified.exp, now)
        return verified


def principal_from_claims(claims: dict[str, Any], scopes: frozenset[str], method: str) -> Principal:
    client_id = claims.get("client_id") or claims.get("azp")
    subject = claims.get("sub") or client_id or ""
    return Principal(
        subject=str(subject), method=method, client_id=str(client_id) if client_id else None,
        scopes=scopes, claims=claims, issuer=iss if isinstance(iss := claims.get("iss"), str) else None,
    )
