"""The authorization server's HTTP surface, as a ``webapp.App`` the gateway mounts.

    POST /oauth/token                              client_credentials (RFC 6749 §4.4); with
                                                   ``certificate_bound_tokens``, a client certificate on
                                                   the connection binds the token (RFC 8705 cnf)
    POST /oauth/introspect                         RFC 7662 (clients holding scope ``oauth:introspect``)
    POST /oauth/revoke                             RFC 7009
    GET  /.well-known/jwks.json                    the public signing keys
    GET  /.well-known/oauth-authorization-server   RFC 8414 metadata

Errors use the RFC 6749 §5.2 shape. Form bodies are parsed strictly (one content type, no repeated
parameter). Failed client authentications are counted per client id and per client IP; past the limit
the endpoint answers 429 without checking credentials, for ``lockout`` seconds.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

from bastion.oauth.client_auth import ClientAuthenticator, OAuthError, invalid_client
from bastion.oauth.config import BruteForceSettings
from bastion.oauth.grants import Grants
from bastion.oauth.revocation import FailureCounter
from bastion.oauth.signing import SigningKeyRing
from bastion.oauth.store import ClientRecord
from bastion.tokens.claims import certificate_thumbprint
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response

log = logging.getLogger("bastion.oauth")
NO_STORE = [("cache-control", "no-store"), ("pragma", "no-cache")]
MAX_FORM_BYTES = 16384
INTROSPECT_SCOPE = "oauth:introspect"


class OAuthServer:
    def __init__(self, grants: Grants, auth: ClientAuthenticator, keyring: SigningKeyRing,
                 failures: FailureCounter, brute_force: BruteForceSettings, bind_certificates: bool = False,
                 ) -> None:
        self.grants = grants
        self.auth = auth
        self.keyring = keyring
        self.failures = failures
        self.brute_force = brute_force
        self.bind_certificates = bind_certificates
        self.router = Router()
        self.router.add("POST", "/oauth/token", self.token)
        self.router.add("POST", "/oauth/introspect", self.introspect)
        self.router.add("POST", "/oauth/revoke", self.revoke)
        self.router.add("GET", "/.well-known/jwks.json", self.jwks)
        self.router.add("GET", "/.well-known/oauth-authorization-server", self.metadata)

    async def handle(self, request: AppRequest) -> AppResponse:
        try:
            return await self.router.handle(request)
        except OAuthError as exc:
            return error_response(exc)
        except Exception:  # the stores' driver errors (database, Redis): logged, answered in RFC 6749 shape
            log.exception("authorization server failed on %s", request.path)
            return error_response(OAuthError("temporarily_unavailable", "Try again later.", 503,
                                             (("retry-after", "5"),)))

    async def token(self, request: AppRequest) -> AppResponse:
        form = parse_form(request)
        client = await self._client(form, request)
        grant = form.get("grant_type")
        if grant != "client_credentials":
            raise OAuthError("unsupported_grant_type", "Only client_credentials is supported.")
        cert = request.tls_peer_cert if self.bind_certificates else None
        thumbprint = certificate_thumbprint(cert) if cert else None
        body = await self.grants.client_credentials(client, form.get("scope"), thumbprint)
        return json_response(body, headers=NO_STORE)

    async def introspect(self, request: AppRequest) -> AppResponse:
        form = parse_form(request)
        client = await self._client(form, request)
        if INTROSPECT_SCOPE not in client.scopes:
            raise OAuthError("unauthorized_client", "This client may not introspect tokens.", 403)
        return json_response(await self.grants.introspect(form.get("token", "")), headers=NO_STORE)

    async def revoke(self, request: AppRequest) -> AppResponse:
        form = parse_form(request)
        client = await self._client(form, request)
        await self.grants.revoke(form.get("token", ""), client)
        return AppResponse(200, list(NO_STORE), b"")

    async def jwks(self, request: AppRequest) -> AppResponse:
        await self.keyring.active()
        return json_response(await self.keyring.jwks(), headers=[("cache-control", "public, max-age=60")])

    async def metadata(self, request: AppRequest) -> AppResponse:
        return json_response(metadata(self.grants.issuer, self.bind_certificates),
                             headers=[("cache-control", "public, max-age=3600")])

    async def _client(self, form: dict[str, str], request: AppRequest) -> ClientRecord:
        claimed = ClientAuthenticator.claimed(form, request.headers)
        keys = [f"client:{claimed.client_id}", f"ip:{request.client_ip}"]
        for key in keys:
            if await self.failures.count("lock:" + key) > 0:
                raise OAuthError("invalid_client", "Too many failed attempts; try again later.", 429,
                                 (("retry-after", str(int(self.brute_force.lockout))),))
        try:
            return await self.auth.authenticate(form, request.headers)
        except OAuthError:
            for key in keys:
                if await self.failures.record(key, self.brute_force.window) >= self.brute_force.max_failures:
                    await self.failures.record("lock:" + key, self.brute_force.lockout)
            raise


def parse_form(request: AppRequest) -> dict[str, str]:
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded.")
    if len(request.body) > MAX_FORM_BYTES or request.query_string:
        raise OAuthError("invalid_request", "The request is malformed.")
    try:
        pairs = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(request.body),
                          max_num_fields=32)
    except (UnicodeDecodeError, ValueError):
        raise OAuthError("invalid_request", "The request is malformed.") from None
    form: dict[str, str] = {}
    for key, value in pairs:
        if key in form:
            raise OAuthError("invalid_request", "A parameter was repeated.")
        form[key] = value
    return form


def error_response(exc: OAuthError) -> AppResponse:
    if exc.status == 401 and not exc.headers:
        exc = invalid_client()
    return json_response({"error": exc.error, "error_description": exc.description}, exc.status,
                         [*NO_STORE, *exc.headers])


def metadata(issuer: str, bound: bool) -> dict[str, Any]:
    base = issuer.rstrip("/")
    methods = ["client_secret_basic", "client_secret_post", "private_key_jwt"]
    return {
        "issuer": issuer,
        "token_endpoint": base + "/oauth/token",
        "jwks_uri": base + "/.well-known/jwks.json",
        "introspection_endpoint": base + "/oauth/introspect",
        "revocation_endpoint": base + "/oauth/revoke",
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": methods,
        "token_endpoint_auth_signing_alg_values_supported": ["ES256", "ES384", "RS256", "PS256", "EdDSA", "Ed25519"],
        "introspection_endpoint_auth_methods_supported": methods,
        "revocation_endpoint_auth_methods_supported": methods,
        "scopes_supported": [],
        "tls_client_certificate_bound_access_tokens": bound,
    }
