"""Unit: the authentication probe and its JWT surgery, driven with next()/send() (no sockets)."""

from __future__ import annotations

import base64

import orjson
from scanner_support import baseline, context, drive, ok

from bastion.scanner.messages import ProbeRequest, ProbeResponse
from bastion.scanner.probes import jwt_forge
from bastion.scanner.probes.auth_tokens import AuthTokensProbe

CLAIMS = {"sub": "1", "aud": "shop", "iat": 1_800_000_000, "exp": 1_800_003_600}
ME = {"id": 1, "username": "alice", "email": "alice@example.com"}


def weak_token() -> str:
    return jwt_forge.sign({"alg": "HS256", "typ": "JWT"}, CLAIMS, b"secret")


def strong_token() -> str:
    return jwt_forge.sign({"alg": "HS256", "typ": "JWT"}, CLAIMS, b"k3q9-very-long-random-key-0b1c7f2e9a")


def header_of(request: ProbeRequest) -> dict[str, object]:
    decoded = jwt_forge.decode(dict(request.headers).get("Authorization", "")[7:])
    return decoded[0] if decoded else {}


def test_cracks_a_weak_hmac_secret_offline() -> None:
    assert jwt_forge.crack(weak_token()) == b"secret"


def test_does_not_crack_a_strong_secret() -> None:
    assert jwt_forge.crack(strong_token()) is None


def test_unsigned_token_has_alg_none_and_no_signature() -> None:
    head, _, sig = jwt_forge.unsigned(CLAIMS).split(".")
    assert orjson.loads(base64.urlsafe_b64decode(head + "==")) == {"alg": "none", "typ": "JWT"}
    assert sig == ""


def test_rejects_alg_none_is_reported_when_the_api_accepts_it() -> None:
    ctx = context(a=strong_token())
    baseline(ctx, "GET /api/v1/users/me", "a", "/api/v1/users/me", ME)

    def respond(request: ProbeRequest) -> ProbeResponse:
        return ok(ME) if header_of(request).get("alg") == "none" else ProbeResponse(401)

    drive(AuthTokensProbe().run(ctx), respond)
    assert [f.rule_id for f in ctx.findings] == ["auth.alg-none"]
    assert ctx.findings[0].owasp == "API2:2023"


def test_weak_secret_adds_expired_and_wrong_audience_variants() -> None:
    ctx = context(a=weak_token())
    baseline(ctx, "GET /api/v1/users/me", "a", "/api/v1/users/me", ME)
    sent = drive(AuthTokensProbe().run(ctx), lambda r: ProbeResponse(401))
    forged = [jwt_forge.decode(dict(r.headers)["Authorization"][7:]) for r in sent if r.headers]
    claims = [c for _, c in filter(None, forged)]
    assert any(c.get("aud") == "bastion-scan-other-audience" for c in claims)
    assert any(c.get("exp", 0) < CLAIMS["iat"] for c in claims)
    assert [f.rule_id for f in ctx.findings] == ["auth.weak-jwt-secret"]


def test_no_finding_when_every_broken_credential_is_refused() -> None:
    ctx = context(a=strong_token())
    baseline(ctx, "GET /api/v1/users/me", "a", "/api/v1/users/me", ME)
    sent = drive(AuthTokensProbe().run(ctx), lambda r: ProbeResponse(401))
    assert len(sent) == 4  # none, malformed, alg none, stripped signature
    assert all(r.identity is None for r in sent)
    assert ctx.findings == []


def test_a_2xx_without_the_users_data_is_not_a_finding() -> None:
    ctx = context(a=strong_token())
    baseline(ctx, "GET /api/v1/users/me", "a", "/api/v1/users/me", ME)
    drive(AuthTokensProbe().run(ctx), lambda r: ok({"status": "login page"}))
    assert ctx.findings == []


def test_cracks_a_six_digit_numeric_secret_and_forges_with_it() -> None:
    """A PIN-like secret ("6 random digits are secure enough") is found by trying every number of at most six
    digits, with and without leading zeros; the forged variants then use it."""
    token = jwt_forge.sign({"alg": "HS256", "typ": "JWT"}, CLAIMS, b"048213")
    assert jwt_forge.crack(token) is None  # not in the word list
    assert jwt_forge.crack(token, jwt_forge.MAX_DIGITS) == b"048213"
    ctx = context(a=token)
    baseline(ctx, "GET /api/v1/users/me", "a", "/api/v1/users/me", ME)
    sent = drive(AuthTokensProbe().run(ctx), lambda r: ProbeResponse(401))
    assert [f.rule_id for f in ctx.findings] == ["auth.weak-jwt-secret"]
    forged = [jwt_forge.decode(dict(r.headers).get("Authorization", "")[7:]) for r in sent]
    assert any(d is not None and d[1].get("aud") == "bastion-scan-other-audience" for d in forged)


def test_numbers_longer_than_the_limit_are_not_tried() -> None:
    token = jwt_forge.sign({"alg": "HS256", "typ": "JWT"}, CLAIMS, b"123")
    assert jwt_forge.crack(token, 2) is None
    assert jwt_forge.crack(token, 3) == b"123"
