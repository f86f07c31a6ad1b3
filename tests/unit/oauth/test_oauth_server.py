"""Unit: the built-in authorization server in-process (webapp App, SQLite in memory, FakeClock)."""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from joserfc import jwk, jws

from bastion.chain.exchange import Exchange
from bastion.chain.policy import PolicyDeps
from bastion.http.headers import Headers
from bastion.oauth.config import AuthServerSection
from bastion.oauth.server import OAuthServer
from bastion.oauth.services import build_auth_services, open_components
from bastion.policies.jwt import JwtConfig, JwtPolicy
from bastion.state import StateBackend
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange
from bastion.webapp.app import AppRequest, AppResponse

pytestmark = pytest.mark.anyio
ISSUER = "https://gw.example.test"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "master.key").write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    (tmp_path / "apikey.secret").write_text(secrets.token_urlsafe(48))
    return {
        "oauth": {"issuer": ISSUER, "database": f"sqlite:{tmp_path / 'auth.db'}",
                  "master_key": "${file:master.key}", "api_keys": {"hmac_secret": "${file:apikey.secret}"},
                  "brute_force": {"max_failures": 3, "window": 60, "lockout": 300}},
        "issuers": {"local": {"builtin": True, "audiences": ["api"], "require_typ": True}},
        "base_dir": tmp_path,
    }


class Env:
    def __init__(self, settings: dict[str, Any], clock: FakeClock) -> None:
        base = settings.pop("base_dir")
        self.services = build_auth_services(settings, StateBackend(), clock, base)
        self.parts = open_components(AuthServerSection.model_validate(settings["oauth"]), clock, base)
        app = self.services["oauth_app"]
        assert isinstance(app, OAuthServer)
        self.app = app
        self.clock = clock

    async def post(self, path: str, form: dict[str, str], headers: list[tuple[str, str]] | None = None,
                   ip: str = "10.0.0.1") -> AppResponse:
        hdrs = [("content-type", "application/x-www-form-urlencoded"), *(headers or [])]
        req = AppRequest("POST", path, headers=Headers(hdrs), body=urlencode(form).encode(), client_ip=ip)
        return await self.app.handle(req)

    async def get(self, path: str) -> Any:
        resp = await self.app.handle(AppRequest("GET", path))
        assert resp.status == 200
        return json.loads(resp.body)

    async def token(self, client_id: str, secret: str, **form: str) -> AppResponse:
        basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        return await self.post("/oauth/token", {"grant_type": "client_credentials", **form},
                               [("authorization", f"Basic {basic}")])

    def jwt_policy(self, scopes: list[str]) -> JwtPolicy:
        deps = PolicyDeps(clock=self.clock, services=self.services)
        return JwtPolicy(JwtConfig(issuer="local", scopes=scopes), deps)


@pytest.fixture
async def env(settings: dict[str, Any], clock: FakeClock) -> Any:
    e = Env(settings, clock)
    yield e
    close = e.services["auth_close"]
    await close()  # type: ignore[operator]
    await e.parts.store.close()


async def test_client_credentials_basic_issues_rfc9068_token(env: Env) -> None:
    secret = await env.parts.registry.create("shop", {"orders:read"}, claims={"customer_id": "c-1"})
    assert secret
    resp = await env.token("shop", secret)
    assert resp.status == 200 and ("cache-control", "no-store") in resp.headers
    body = json.loads(resp.body)
    assert body["token_type"] == "Bearer" and body["expires_in"] == 600
    header = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[0] + "=="))
    assert header["typ"] == "at+jwt" and header["alg"] == "ES256"
    ex = make_exchange(headers=[("authorization", f"Bearer {body['access_token']}")])
    assert await env.jwt_policy(["orders:read"]).on_request(ex) is None
    assert ex.principal is not None and ex.principal.claims["customer_id"] == "c-1"


async def test_client_secret_post_and_scope_down(env: Env) -> None:
    secret = await env.parts.registry.create("svc", {"a", "b"})
    assert secret
    form = {"grant_type": "client_credentials", "client_id": "svc", "client_secret": secret, "scope": "a"}
    resp = await env.post("/oauth/token", form)
    assert resp.status == 200 and json.loads(resp.body)["scope"] == "a"
    form["scope"] = "a c"
    resp = await env.post("/oauth/token", form)
    assert resp.status == 400 and json.loads(resp.body)["error"] == "invalid_scope"


async def test_wrong_secret_is_invalid_client_and_brute_force_locks_out(env: Env) -> None:
    secret = await env.parts.registry.create("svc", {"a"})
    assert secret
    for _ in range(3):
        resp = await env.token("svc", "wrong")
        assert resp.status == 401 and json.loads(resp.body) == {
            "error": "invalid_client", "error_description": "Client authentication failed."}
    locked = await env.token("svc", secret)
    assert locked.status == 429
    env.clock.advance(301)
    assert (await env.token("svc", secret, )).status == 200


async def test_rejects_repeated_parameters_and_wrong_grant(env: Env) -> None:
    secret = await env.parts.registry.create("svc", {"a"})
    assert secret
    basic = base64.b64encode(f"svc:{secret}".encode()).decode()
    req = AppRequest("POST", "/oauth/token", headers=Headers([
        ("content-type", "application/x-www-form-urlencoded"), ("authorization", f"Basic {basic}")]),
        body=b"grant_type=client_credentials&grant_type=password")
    resp = await env.app.handle(req)
    assert resp.status == 400 and json.loads(resp.body)["error"] == "invalid_request"
    resp = await env.token("svc", secret, grant_type="password")
    assert json.loads(resp.body)["error"] == "unsupported_grant_type"


async def test_private_key_jwt_and_jti_replay_is_rejected(env: Env) -> None:
    key = jwk.ECKey.generate_key("P-256", private=True, parameters={"kid": "k1"})
    await env.parts.registry.create("robot", {"a"}, jwks={"keys": [{**key.as_dict(private=False), "kid": "k1"}]})
    now = int(env.clock.now())
    claims = {"iss": "robot", "sub": "robot", "aud": ISSUER + "/oauth/token", "exp": now + 60,
              "jti": secrets.token_urlsafe(16)}
    assertion = jws.serialize_compact({"alg": "ES256", "kid": "k1"}, json.dumps(claims).encode(), key)
    form = {"grant_type": "client_credentials", "client_assertion": assertion,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
    assert (await env.post("/oauth/token", form)).status == 200
    replay = await env.post("/oauth/token", form, ip="10.0.0.2")
    assert replay.status == 401 and json.loads(replay.body)["error"] == "invalid_client"


async def test_secrets_are_hashed_and_signing_keys_encrypted_at_rest(env: Env, settings: dict[str, Any],
                                                                     tmp_path: Path) -> None:
    secret = await env.parts.registry.create("svc", {"a"})
    assert secret and (await env.token("svc", secret)).status == 200
    raw = (tmp_path / "auth.db").read_bytes() + (tmp_path / "auth.db-wal").read_bytes()
    assert secret.encode() not in raw
    record = (await env.parts.store.list_keys())[0]
    d = env.parts.keyring._decrypt(record).as_dict(private=True)["d"]
    assert isinstance(d, str) and d.encode() not in raw and d.encode() not in record.private_blob


async def test_rotation_end_to_end(env: Env) -> None:
    secret = await env.parts.registry.create("svc", {"a"})
    assert secret
    old = json.loads((await env.token("svc", secret)).body)["access_token"]
    old_kid = (await env.parts.keyring.active())[0].kid
    await env.parts.keyring.rotate()
    env.clock.advance(6)  # the gateway reloads its key ring
    new = json.loads((await env.token("svc", secret)).body)["access_token"]
    assert json.loads(base64.urlsafe_b64decode(new.split(".")[0] + "=="))["kid"] != old_kid
    kids = [k["kid"] for k in (await env.get("/.well-known/jwks.json"))["keys"]]
    assert old_kid in kids and len(kids) == 2
    policy = env.jwt_policy(["a"])
    for token in (old, new):
        assert await policy.on_request(make_exchange(headers=[("authorization", f"Bearer {token}")])) is None
    env.clock.advance(600 + 60)  # past the old tokens' lifetime + leeway: the old key leaves the JWKS
    kids = [k["kid"] for k in (await env.get("/.well-known/jwks.json"))["keys"]]
    assert kids and old_kid not in kids
    fresh_policy = env.jwt_policy(["a"])
    problem = await fresh_policy.on_request(make_exchange(headers=[("authorization", f"Bearer {old}")]))
    assert problem is not None and problem.status == 401


async def test_revocation_and_introspection(env: Env) -> None:
    secret = await env.parts.registry.create("svc", {"a"})
    admin = await env.parts.registry.create("rs", {"oauth:introspect"})
    assert secret and admin
    token = json.loads((await env.token("svc", secret)).body)["access_token"]
    basic = base64.b64encode(f"rs:{admin}".encode()).decode()
    auth = [("authorization", f"Basic {basic}")]
    active = json.loads((await env.post("/oauth/introspect", {"token": token}, auth)).body)
    assert active["active"] is True and active["client_id"] == "svc"
    policy = env.jwt_policy(["a"])

    def ex() -> Exchange:
        return make_exchange(headers=[("authorization", f"Bearer {token}")])

    assert await policy.on_request(ex()) is None
    svc_basic = base64.b64encode(f"svc:{secret}".encode()).decode()
    resp = await env.post("/oauth/revoke", {"token": token}, [("authorization", f"Basic {svc_basic}")])
    assert resp.status == 200
    problem = await policy.on_request(ex())  # cached verification, but revocation is checked every time
    assert problem is not None and problem.status == 401
    inactive = json.loads((await env.post("/oauth/introspect", {"token": token}, auth)).body)
    assert inactive == {"active": False}


async def test_metadata_and_jwks(env: Env) -> None:
    meta = await env.get("/.well-known/oauth-authorization-server")
    assert meta["issuer"] == ISSUER and meta["token_endpoint"] == ISSUER + "/oauth/token"
    jwks = await env.get("/.well-known/jwks.json")
    assert all("d" not in k for k in jwks["keys"]) and jwks["keys"][0]["alg"] == "ES256"


async def test_client_secret_rotation_overlap_and_revocation(env: Env) -> None:
    old = await env.parts.registry.create("svc", {"a"})
    assert old
    new = await env.parts.registry.rotate("svc", overlap=60)
    assert (await env.token("svc", old)).status == 200 and (await env.token("svc", new)).status == 200
    env.clock.advance(61)
    assert (await env.token("svc", old)).status == 401
    assert (await env.token("svc", new)).status == 200
    await env.parts.registry.revoke("svc")
    assert (await env.token("svc", new, )).status == 401


async def test_memory_revocations_survive_a_configuration_reload(settings: dict[str, Any], clock: FakeClock) -> None:
    base = settings.pop("base_dir")
    first = build_auth_services(settings, StateBackend(), clock, base)
    second = build_auth_services(settings, StateBackend(), clock, base)
    try:
        assert first["revocations"] is second["revocations"]
    finally:
        for services in (first, second):
            await services["auth_close"]()  # type: ignore[operator]


@pytest.mark.parametrize(("body", "headers"), [
    (b"", []), (b"\xff\xfe\x00", []), (b"a" * 20000, []), (b"grant_type=client_credentials&%zz=1", []),
    (b"grant_type=client_credentials", [("authorization", "Basic !!!")]),
    (b"grant_type=client_credentials", [("authorization", "Basic " + base64.b64encode(b"nocolon").decode())]),
    (b"grant_type=client_credentials", [("authorization", "Basic eDp5"), ("authorization", "Basic eDp5")]),
    (b"grant_type=client_credentials&client_id=x&client_secret=y", [("authorization", "Basic eDp5")]),
    (b"grant_type=client_credentials&client_assertion=a.b.c&client_assertion_type="
     b"urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer", []),
    (b"grant_type=client_credentials&client_assertion=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiaXNzIjoieCJ9.&"
     b"client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer", []),
], ids=["empty", "binary", "huge", "bad-escape", "bad-basic", "basic-no-colon", "two-basic", "two-methods",
        "garbage-assertion", "alg-none-assertion"])
async def test_token_endpoint_answers_garbage_with_rfc6749_errors(env: Env, body: bytes,
                                                                  headers: list[tuple[str, str]]) -> None:
    req = AppRequest("POST", "/oauth/token", headers=Headers(
        [("content-type", "application/x-www-form-urlencoded"), *headers]), body=body)
    resp = await env.app.handle(req)
    assert 400 <= resp.status < 500 and set(json.loads(resp.body)) == {"error", "error_description"}


async def test_token_endpoint_refuses_credentials_in_query_and_wrong_content_type(env: Env) -> None:
    secret = await env.parts.registry.create("svc", {"a"})
    assert secret
    req = AppRequest("POST", "/oauth/token", query_string=f"client_id=svc&client_secret={secret}",
                     headers=Headers([("content-type", "application/x-www-form-urlencoded")]),
                     body=b"grant_type=client_credentials")
    assert (await env.app.handle(req)).status == 400
    req = AppRequest("POST", "/oauth/token", headers=Headers([("content-type", "application/json")]),
                     body=b'{"grant_type": "client_credentials"}')
    assert json.loads((await env.app.handle(req)).body)["error"] == "invalid_request"


async def test_revoking_a_client_stops_its_unexpired_tokens(env: Env) -> None:
    secret = await env.parts.registry.create("svc", {"a"})
    assert secret
    token = json.loads((await env.token("svc", secret)).body)["access_token"]
    policy = env.jwt_policy(["a"])
    assert await policy.on_request(make_exchange(headers=[("authorization", f"Bearer {token}")])) is None
    await env.parts.registry.revoke("svc")
    env.clock.advance(1.0)
    problem = await policy.on_request(make_exchange(headers=[("authorization", f"Bearer {token}")]))
    assert problem is not None and problem.status == 401


async def test_ed25519_signing_end_to_end(settings: dict[str, Any], clock: FakeClock) -> None:
    settings["oauth"]["signing"] = {"algorithm": "Ed25519"}
    settings["issuers"]["local"]["algorithms"] = ["Ed25519"]
    e = Env(settings, clock)
    try:
        secret = await e.parts.registry.create("svc", {"a"})
        assert secret
        token = json.loads((await e.token("svc", secret)).body)["access_token"]
        assert json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["alg"] == "Ed25519"
        ex = make_exchange(headers=[("authorization", f"Bearer {token}")])
        assert await e.jwt_policy(["a"]).on_request(ex) is None
    finally:
        await e.services["auth_close"]()  # type: ignore[operator]
        await e.parts.store.close()


async def test_key_store_failure_is_503_not_500(settings: dict[str, Any], clock: FakeClock) -> None:
    e = Env(settings, clock)
    secret = await e.parts.registry.create("svc", {"a"})
    assert secret
    token = json.loads((await e.token("svc", secret)).body)["access_token"]
    policy = e.jwt_policy(["a"])
    await e.services["auth_close"]()  # type: ignore[operator]  # closes the gateway's database handle
    await e.parts.store.close()
    problem = await policy.on_request(make_exchange(headers=[("authorization", f"Bearer {token}")]))
    assert problem is not None and problem.status == 503


async def test_token_endpoint_store_failure_is_503_in_rfc6749_shape(settings: dict[str, Any], clock: FakeClock,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    e = Env(settings, clock)
    await e.services["auth_close"]()  # type: ignore[operator]
    await e.parts.store.close()
    resp = await e.token("svc", "Zq8-unique-secret-value")
    assert resp.status == 503 and json.loads(resp.body)["error"] == "temporarily_unavailable"
    assert "Zq8-unique-secret-value" not in caplog.text
