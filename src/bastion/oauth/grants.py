"""What the authorization server does, without HTTP: issue (RFC 6749 §4.4 + RFC 9068), introspect
(RFC 7662) and revoke (RFC 7009) access tokens."""

from __future__ import annotations

import secrets
from typing import Any

import orjson
from joserfc import jws

from bastion.clock import Clock
from bastion.oauth.client_auth import OAuthError
from bastion.oauth.signing import SigningKeyRing
from bastion.oauth.store import ClientRecord
from bastion.tokens.claims import scopes_of
from bastion.tokens.compact import parse_compact
from bastion.tokens.errors import TokenError
from bastion.tokens.revocation import RevocationList
from bastion.tokens.verify import check_header, check_signature

RESERVED_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "cnf"})
_SCOPE_CHARS = set("!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~")


class Grants:
    def __init__(self, issuer: str, keyring: SigningKeyRing, revocations: RevocationList, clock: Clock,
                 token_ttl: int, default_audience: str) -> None:
        self.issuer = issuer
        self.keyring = keyring
        self.revocations = revocations
        self.clock = clock
        self.token_ttl = token_ttl
        self.default_audience = default_audience

    async def client_credentials(self, client: ClientRecord, scope: str | None,
                                 cert_thumbprint: str | None = None) -> dict[str, Any]:
        if scope is None:
            granted = set(client.scopes)
        else:
            requested = scope.split(" ")
            if not all(s and set(s) <= _SCOPE_CHARS for s in requested):
                raise OAuthError("invalid_scope", "The requested scope is malformed.")
            if not set(requested) <= client.scopes:
                raise OAuthError("invalid_scope", "The requested scope exceeds what the client may have.")
            granted = set(requested)
        token, _ = await self.issue(client, granted, cert_thumbprint)
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl,
                "scope": " ".join(sorted(granted))}

    async def issue(self, client: ClientRecord, scopes: set[str],
                    cert_thumbprint: str | None = None) -> tuple[str, dict[str, Any]]:
        record, key = await self.keyring.active()
        now = int(self.clock.now())
        claims: dict[str, Any] = {k: v for k, v in client.claims.items() if k not in RESERVED_CLAIMS}
        claims.update({
            "iss": self.issuer, "sub": client.client_id, "aud": client.audience or self.default_audience,
            "exp": now + self.token_ttl, "iat": now, "nbf": now, "jti": secrets.token_urlsafe(18),
            "client_id": client.client_id, "scope": " ".join(sorted(scopes)),
        })
        if cert_thumbprint:
            claims["cnf"] = {"x5t#S256": cert_thumbprint}
        header = {"alg": record.alg, "kid": record.kid, "typ": "at+jwt"}
        token = jws.serialize_compact(header, orjson.dumps(claims), key, algorithms=[record.alg])
        return token, claims

    async def inspect(self, token: str) -> dict[str, Any] | None:
        """The claims of a token this server issued and that is still good, else None."""
        try:
            parsed = parse_compact(token)
            header = parsed.header
            check_header(header, True)
            kid = header.get("kid")
            key = await self.keyring.public_key(kid) if isinstance(kid, str) else None
            alg = header.get("alg")
            if key is None or alg != self.keyring.settings.algorithm:
                return None
            check_signature(alg, key, parsed.signing_input, parsed.signature)
        except TokenError:
            return None
        claims = parsed.claims
        exp, jti = claims.get("exp"), claims.get("jti")
        if claims.get("iss") != self.issuer or not isinstance(exp, int) or self.clock.now() >= exp:
            return None
        if not isinstance(jti, str) or await self.revocations.is_revoked(jti):
            return None
        return claims

    async def introspect(self, token: str) -> dict[str, Any]:
        claims = await self.inspect(token)
        if claims is None:
            return {"active": False}
        return {**claims, "active": True, "token_type": "Bearer", "scope": " ".join(sorted(scopes_of(claims)))}

    async def revoke(self, token: str, client: ClientRecord) -> None:
        """RFC 7009: a client may revoke its own tokens; anything else is silently ignored."""
        claims = await self.inspect(token)
        if claims is None or claims.get("client_id") != client.client_id:
            return
        await self.revocations.revoke(str(claims["jti"]), float(claims["exp"]))

