"""Integration: the authorization server on real sockets with PostgreSQL (clients, keys) and Redis (jti
replay, revocations); a resource server verifies its tokens through the real JWKS endpoint over HTTP."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import redis
from joserfc import jwk, jws
from oauth_node import Node, serve_in_thread

from bastion.clock import SYSTEM_CLOCK
from bastion.oauth.config import AuthServerSection
from bastion.oauth.services import AuthComponents, open_components
from bastion.tokens.claims import ClaimRules
from bastion.tokens.errors import TokenError
from bastion.tokens.jwks import JwksCache
from bastion.tokens.load import HttpFetcher
from bastion.tokens.verify import TokenVerifier

pytestmark = pytest.mark.integration
PG = "postgresql://postgres@127.0.0.1:5432/test"
ISSUER = "https://gw.example.test"


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, Any]]:
    tag = secrets.token_hex(5)
    (tmp_path / "master.key").write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    oauth = {"issuer": ISSUER, "database": PG, "table_prefix": f"t_oauth_{tag}_", "master_key": "${file:master.key}"}
    settings = {"oauth": oauth, "issuers": {"local": {"builtin": True, "audiences": ["api"]}}}
    node = Node(settings, tmp_path, "redis://127.0.0.1:6379/0", f"test:oauth:{tag}:")
    port, stop = serve_in_thread(node, node.close)
    section = AuthServerSection.model_validate(oauth)

    def with_parts(fn: Callable[[AuthComponents], Awaitable[Any]]) -> Any:
        async def run() -> Any:
            parts = open_components(section, SYSTEM_CLOCK, tmp_path)
            try:
                return await fn(parts)
            finally:
                await parts.store.close()

        return anyio.run(run)

    try:
        yield {"url": f"http://127.0.0.1:{port}", "with_parts": with_parts}
    finally:
        stop()
        with_parts(lambda parts: parts.store.drop())
        client = redis.Redis(host="127.0.0.1", port=6379)
        keys = list(client.scan_iter(match=f"test:oauth:{tag}:*"))
        if keys:
            client.delete(*keys)
        client.close()


def test_token_over_http_verified_through_real_jwks(env: dict[str, Any]) -> None:
    secret = env["with_parts"](
        lambda parts: parts.registry.create("svc", {"orders:read"}, claims={"customers": ["c-1"]}))
    with httpx.Client(timeout=5) as http:
        resp = http.post(env["url"] + "/oauth/token", data={
            "grant_type": "client_credentials", "client_id": "svc", "client_secret": secret})
        assert resp.status_code == 200 and resp.headers["cache-control"] == "no-store"
        token = resp.json()["access_token"]
        bad = http.post(env["url"] + "/oauth/token", data={
            "grant_type": "client_credentials", "client_id": "svc", "client_secret": "nope"})
        assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
        assert http.get(env["url"] + "/check", headers={"authorization": f"Bearer {token}"}).status_code == 200

    async def verify() -> dict[str, Any]:
        fetcher = HttpFetcher()
        try:
            keys = JwksCache(env["url"] + "/.well-known/jwks.json", fetcher, SYSTEM_CLOCK)
            verifier = TokenVerifier(ClaimRules(ISSUER, frozenset({"api"})), frozenset({"ES256"}), keys,
                                     SYSTEM_CLOCK, require_typ=True)
            verified = await verifier.verify(token)
            with pytest.raises(TokenError):
                await verifier.verify(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))
            return verified.claims
        finally:
            await fetcher.aclose()

    claims = anyio.run(verify)
    assert claims["customers"] == ["c-1"] and claims["client_id"] == "svc"


def test_private_key_jwt_replay_is_refused_via_redis(env: dict[str, Any]) -> None:
    key = jwk.ECKey.generate_key("P-256", private=True, parameters={"kid": "robot-1"})
    doc = {"keys": [{**key.as_dict(private=False), "kid": "robot-1"}]}
    env["with_parts"](lambda parts: parts.registry.create("robot", {"orders:read"}, jwks=doc))
    now = int(time.time())
    claims = {"iss": "robot", "sub": "robot", "aud": ISSUER + "/oauth/token", "exp": now + 60, "iat": now,
              "jti": secrets.token_urlsafe(16)}
    assertion = jws.serialize_compact({"alg": "ES256", "kid": "robot-1"}, json.dumps(claims).encode(), key)
    form = {"grant_type": "client_credentials", "client_assertion": assertion,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
    with httpx.Client(timeout=5) as http:
        assert http.post(env["url"] + "/oauth/token", data=form).status_code == 200
        replay = http.post(env["url"] + "/oauth/token", data=form)
        assert replay.status_code == 401 and replay.json()["error"] == "invalid_client"
        meta = http.get(env["url"] + "/.well-known/oauth-authorization-server").json()
        assert "private_key_jwt" in meta["token_endpoint_auth_methods_supported"]


def test_api_keys_in_postgresql(env: dict[str, Any]) -> None:

    async def run(parts: AuthComponents) -> tuple[bool, bool, bool]:
        from bastion.apikeys.store import ApiKeyStore

        store = ApiKeyStore(parts.store, secrets.token_bytes(32), SYSTEM_CLOCK, cache_seconds=0)
        key, key_id = await store.create("alice", {"orders:read"})
        ok = await store.verify(key) is not None
        wrong = await store.verify(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
        await store.revoke(key_id)
        revoked = await store.verify(key) is None
        await parts.store.db.execute(f"DROP TABLE IF EXISTS {store.table}")
        return ok, wrong, revoked

    assert env["with_parts"](run) == (True, True, True)


def test_introspection_policy_against_the_real_endpoint(env: dict[str, Any]) -> None:
    from bastion.chain.policy import PolicyDeps
    from bastion.policies.introspection import IntrospectionConfig, IntrospectionPolicy
    from bastion.testing.exchange import make_exchange
    from bastion.tokens.load import HttpIntrospector

    async def create(parts: AuthComponents) -> tuple[str | None, str | None]:
        return (await parts.registry.create("svc", {"orders:read"}),
                await parts.registry.create("gateway", {"oauth:introspect"}))

    secret, gateway_secret = env["with_parts"](create)
    assert secret and gateway_secret
    with httpx.Client(timeout=5) as http:
        token = http.post(env["url"] + "/oauth/token", data={"grant_type": "client_credentials"},
                          auth=("svc", secret)).json()["access_token"]

    async def check() -> list[int]:
        intro = HttpIntrospector(env["url"] + "/oauth/introspect", "gateway", gateway_secret,
                                 max_cache_seconds=0)
        wrong = HttpIntrospector(env["url"] + "/oauth/introspect", "gateway", "wrong", max_cache_seconds=0)
        try:
            good, bad = (IntrospectionPolicy(
                IntrospectionConfig(issuer="corp", scopes=["orders:read"]),
                PolicyDeps(clock=SYSTEM_CLOCK, services={"introspectors": {"corp": client}}))
                for client in (intro, wrong))

            async def status(policy: IntrospectionPolicy) -> int:
                problem = await policy.on_request(make_exchange(headers=[("authorization", f"Bearer {token}")]))
                return 200 if problem is None else problem.status

            statuses = [await status(good), await status(bad)]
            async with httpx.AsyncClient(timeout=5) as http:
                await http.post(env["url"] + "/oauth/revoke", data={"token": token}, auth=("svc", secret))
            return [*statuses, await status(good)]
        finally:
            await intro.aclose()
            await wrong.aclose()

    assert anyio.run(check) == [200, 503, 401]
