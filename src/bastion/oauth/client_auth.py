"""Client authentication at the token, introspection and revocation endpoints (RFC 6749 §2.3, RFC 7523).

Exactly one method per request: ``client_secret_basic`` (Authorization: Basic), ``client_secret_post``
(form ``client_id`` + ``client_secret``) or ``private_key_jwt`` (a ``client_assertion`` JWT signed by a
key in the client's registered JWKS, ``iss = sub = client_id``, ``aud`` = the token endpoint or issuer,
short ``exp``, and a ``jti`` never seen before). Any failure is ``invalid_client``, without saying why.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from urllib.parse import unquote

from bastion.clock import Clock
from bastion.http.headers import Headers
from bastion.oauth.clients import ClientRegistry
from bastion.oauth.revocation import OnceStore
from bastion.oauth.store import ClientRecord
from bastion.tokens.compact import parse_compact
from bastion.tokens.errors import TokenError
from bastion.tokens.keys import parse_jwks, pick_key
from bastion.tokens.verify import check_header, check_signature

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_ALGORITHMS = frozenset({"ES256", "ES384", "RS256", "PS256", "EdDSA", "Ed25519"})


class OAuthError(Exception):
    """An RFC 6749 §5.2 error. ``description`` is client-safe and never names the failing check."""

    def __init__(self, error: str, description: str, status: int = 400,
                 headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.error = error
        self.description = description
        self.status = status
        self.headers = headers
        super().__init__(error)


def invalid_client() -> OAuthError:
    return OAuthError("invalid_client", "Client authentication failed.", 401,
                      (("www-authenticate", 'Basic realm="bastion"'),))


@dataclass(frozen=True, slots=True)
class ClaimedClient:
    """Who the request says it is, before any check (for brute-force accounting)."""

    client_id: str
    method: str


class ClientAuthenticator:
    def __init__(self, registry: ClientRegistry, once: OnceStore, clock: Clock, audiences: frozenset[str],
                 max_lifetime: float) -> None:
        self.registry = registry
        self.once = once
        self.clock = clock
        self.audiences = audiences
        self.max_lifetime = max_lifetime

    @staticmethod
    def claimed(form: dict[str, str], headers: Headers) -> ClaimedClient:
        basic = headers.get_all("authorization")
        methods = [m for m, present in (("client_secret_basic", bool(basic)),
                                        ("client_secret_post", "client_secret" in form),
                                        ("private_key_jwt", "client_assertion" in form)) if present]
        if len(methods) != 1 or len(basic) > 1:
            raise invalid_client()
        if methods[0] == "client_secret_basic":
            return ClaimedClient(_basic(basic[0])[0], methods[0])
        return ClaimedClient(form.get("client_id", ""), methods[0])

    async def authenticate(self, form: dict[str, str], headers: Headers) -> ClientRecord:
        claim = self.claimed(form, headers)
        if claim.method == "client_secret_basic":
            client_id, secret = _basic(headers.get("authorization") or "")
            if form.get("client_id", client_id) != client_id:
                raise invalid_client()
        elif claim.method == "client_secret_post":
            client_id, secret = form.get("client_id", ""), form["client_secret"]
        else:
            return await self._assertion(form)
        client = await self.registry.authenticate(client_id, secret)
        if client is None or client.jwks is not None:
            raise invalid_client()
        return client

    async def _assertion(self, form: dict[str, str]) -> ClientRecord:
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            raise invalid_client()
        try:
            jws = parse_compact(form["client_assertion"], 8192)
            claims = jws.claims
            client_id = claims.get("sub")
            if not isinstance(client_id, str) or claims.get("iss") != client_id:
                raise invalid_client()
            if form.get("client_id", client_id) != client_id:
                raise invalid_client()
            client = await self.registry.store.get_client(client_id)
            if client is None or client.revoked or client.jwks is None:
                raise invalid_client()
            alg = jws.header.get("alg")
            if alg not in ASSERTION_ALGORITHMS:
                raise invalid_client()
            check_header(jws.header, False)
            kid = jws.header.get("kid")
            key = pick_key(parse_jwks(_dump(client.jwks)), kid if isinstance(kid, str) else None)
            if key is None:
                raise invalid_client()
            check_signature(str(alg), key, jws.signing_input, jws.signature)
        except TokenError:
            raise invalid_client() from None
        await self._check_assertion_claims(claims, client_id)
        return client

    async def _check_assertion_claims(self, claims: dict[str, object], client_id: str) -> None:
        now = self.clock.now()
        aud = claims.get("aud")
        auds = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        exp, jti = claims.get("exp"), claims.get("jti")
        if self.audiences.isdisjoint(a for a in auds if isinstance(a, str)):
            raise invalid_client()
        if not isinstance(exp, (int, float)) or isinstance(exp, bool) or not now < exp <= now + self.max_lifetime:
            raise invalid_client()
        if not isinstance(jti, str) or not 8 <= len(jti) <= 256:
            raise invalid_client()
        if not await self.once.first_use(f"jti:{client_id}:{jti}", float(exp) + 60):
            raise invalid_client()


def _basic(value: str) -> tuple[str, str]:
    scheme, _, encoded = value.partition(" ")
    if scheme.lower() != "basic":
        raise invalid_client()
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise invalid_client() from None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise invalid_client()
    return unquote(client_id), unquote(secret)  # RFC 6749 §2.3.1: form-urlencoded before base64


def _dump(value: object) -> bytes:
    return json.dumps(value).encode()
