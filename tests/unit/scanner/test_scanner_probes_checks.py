"""Unit: injection, SSRF, resource and hygiene probes against scripted answers (next()/send(), no sockets).

Each check has a case where the simulated API is vulnerable (a finding) and one where it is not.
"""

from __future__ import annotations

from dataclasses import replace

import yaml
from scanner_support import baseline, context, drive, ok

from bastion.scanner.context import Identity, ScanContext
from bastion.scanner.messages import CanaryHits, CanaryPoll, ProbeRequest, ProbeResponse
from bastion.scanner.probes.attempts import AttemptsProbe
from bastion.scanner.probes.conformance import ConformanceProbe
from bastion.scanner.probes.exposure import ExposureProbe
from bastion.scanner.probes.headers import HeadersProbe
from bastion.scanner.probes.inventory import InventoryProbe
from bastion.scanner.probes.nosql import NoSqlInjectionProbe
from bastion.scanner.probes.rate_limit import RateLimitProbe
from bastion.scanner.probes.sql import SqlInjectionProbe
from bastion.scanner.probes.ssrf import SsrfProbe
from bastion.scanner.spec import ScanOperation


def rules(ctx: ScanContext) -> list[tuple[str, str | None]]:
    return [(f.rule_id, f.location.operation) for f in ctx.findings]


def search_api(vulnerable: bool):  # type: ignore[no-untyped-def]
    def respond(request: ProbeRequest) -> ProbeResponse:
        search = dict(request.query).get("search")
        if request.path != "/api/v1/products" or search is None:
            return ProbeResponse(404)
        if vulnerable and search.count("'") % 2 == 1 and "OR" not in search and "AND" not in search:
            return ok({"error": "sqlite3.OperationalError: unrecognized token"}, 500)
        return ok({"items": []})
    return respond


def test_sql_injection_error_based_is_found() -> None:
    ctx = context()
    ctx.allow_unsafe = False
    drive(SqlInjectionProbe().run(ctx), search_api(vulnerable=True))
    assert ("injection.sql", "GET /api/v1/products") in rules(ctx)


def test_no_sql_injection_when_quotes_are_data() -> None:
    ctx = context()
    ctx.allow_unsafe = False
    drive(SqlInjectionProbe().run(ctx), search_api(vulnerable=False))
    assert ctx.findings == []


def login_api(operators: bool):  # type: ignore[no-untyped-def]
    def respond(request: ProbeRequest) -> ProbeResponse:
        if request.path != "/api/v1/auth/login" or not isinstance(request.json, dict):
            return ProbeResponse(404)
        password = request.json.get("password")
        if password == "alice-pass-1" or (operators and isinstance(password, dict)):
            return ok({"token": "t"})
        return ok({"error": "invalid"}, 401)
    return respond


def test_nosql_operator_login_bypass_is_found() -> None:
    ctx = context()
    drive(NoSqlInjectionProbe().run(ctx), login_api(operators=True))
    assert ("injection.nosql", "POST /api/v1/auth/login") in rules(ctx)


def test_nosql_operator_refused() -> None:
    ctx = context()
    drive(NoSqlInjectionProbe().run(ctx), login_api(operators=False))
    assert ctx.findings == []


def ssrf_run(fetches: bool) -> ScanContext:
    ctx = context(a="token-a")
    ctx.canary_url = "http://127.0.0.1:4444"
    flow = SsrfProbe().run(ctx)
    fetched: list[str] = []
    try:
        step = next(flow)
        while True:
            if isinstance(step, CanaryPoll):
                step = flow.send(CanaryHits(tuple(p for p in fetched if step.token in p)))
                continue
            assert isinstance(step, ProbeRequest)
            url = step.json.get("url") if isinstance(step.json, dict) else None
            if fetches and isinstance(url, str) and step.path.endswith("/avatar"):
                fetched.append(url.split(":4444", 1)[-1])
            step = flow.send(ok({"status": "stored"}))
    except StopIteration:
        pass
    return ctx


def test_ssrf_callback_to_the_canary_is_found() -> None:
    assert ("ssrf.callback", "POST /api/v1/users/me/avatar") in rules(ssrf_run(fetches=True))


def test_no_ssrf_without_a_callback() -> None:
    assert ssrf_run(fetches=False).findings == []


def test_no_rate_limit_is_found_and_a_429_clears_it() -> None:
    ctx = context(a="token-a")
    baseline(ctx, "GET /api/v1/users/me", "a", "/api/v1/users/me", {"id": 1})
    drive(RateLimitProbe().run(ctx), lambda r: ok({"id": 1}))
    assert rules(ctx) == [("resource.no-rate-limit", "GET /api/v1/users/me")]
    limited = context(a="token-a")
    baseline(limited, "GET /api/v1/users/me", "a", "/api/v1/users/me", {"id": 1})
    answers = iter([ok({"id": 1})] * 30 + [ProbeResponse(429, (("retry-after", "1"),))] * 30)
    drive(RateLimitProbe().run(limited), lambda r: next(answers))
    assert limited.findings == []


def test_attempt_limits_missing_and_present() -> None:
    ctx = context(a="token-a")
    drive(AttemptsProbe().run(ctx), lambda r: ok({"error": "wrong"}, 401))
    assert ("auth.no-attempt-limit", "POST /api/v1/auth/login") in rules(ctx)
    limited = context(a="token-a")
    drive(AttemptsProbe().run(limited), lambda r: ProbeResponse(429, (("retry-after", "60"),)))
    assert limited.findings == []


def test_sensitive_undocumented_properties_are_exposure() -> None:
    ctx = context(a="token-a")
    baseline(ctx, "GET /api/v1/users/{user_id}", "a", "/api/v1/users/1",
             {"id": 1, "username": "alice", "email": "a@example.com", "role": "user", "bio": "",
              "password_hash": "ab$cd"})
    drive(ExposureProbe().run(ctx), lambda r: ProbeResponse(500))
    assert [f.rule_id for f in ctx.findings] == ["bopla.sensitive-property"]


def test_spec_mismatch_and_verbose_errors_are_passive() -> None:
    ctx = context()
    baseline(ctx, "GET /api/v1/posts", "anon", "/api/v1/posts", {"items": [{"id": 1, "likes": "many"}]})
    request = ProbeRequest("GET", "/api/v1/products/1'", operation="GET /api/v1/products/{product_id}")
    ctx.record(request, ok({"trace": 'Traceback (most recent call last):\n  File "app.py", line 3'}, 500))
    drive(ConformanceProbe().run(ctx), lambda r: ProbeResponse(500))
    drive(HeadersProbe().run(ctx), lambda r: ProbeResponse(500))
    found = {f.rule_id for f in ctx.findings}
    assert {"inventory.spec-mismatch", "misconfig.verbose-error", "misconfig.missing-header"} <= found


def test_secure_headers_and_valid_bodies_give_nothing() -> None:
    ctx = context()
    secure = (("content-type", "application/json"), ("x-content-type-options", "nosniff"),
              ("x-frame-options", "DENY"), ("cache-control", "no-store"))
    request = ProbeRequest("GET", "/api/v1/posts", purpose="baseline", operation="GET /api/v1/posts")
    ctx.record(request, replace(ok({"items": [{"id": 1, "likes": 3}]}), headers=secure))
    drive(ConformanceProbe().run(ctx), lambda r: ProbeResponse(500))
    drive(HeadersProbe().run(ctx), lambda r: ProbeResponse(500))
    assert ctx.findings == []


def test_undocumented_debug_endpoint_found_but_catch_all_pages_ignored() -> None:
    ctx = context()
    drive(InventoryProbe().run(ctx), lambda r: ok({"secret": 1}) if r.path == "/debug" else ProbeResponse(404))
    assert rules(ctx) == [("inventory.undocumented-path", "GET /debug")]
    catch_all = context()
    drive(InventoryProbe().run(catch_all), lambda r: ok({"page": "home"}))
    assert catch_all.findings == []


def test_published_spec_of_the_scanned_api_is_not_an_undocumented_endpoint() -> None:
    """/openapi.json serving the very API under scan is expected; one that describes more paths than the
    scan's spec reveals shadow endpoints and stays a (low) finding."""
    ctx = context()
    own = {"openapi": "3.1.0", "paths": {op.path: {} for op in ctx.operations}}
    drive(InventoryProbe().run(ctx), lambda r: ok(own) if r.path == "/openapi.json" else ProbeResponse(404))
    assert ctx.findings == []
    wider = context()
    more = {"openapi": "3.1.0", "paths": {**own["paths"], "/internal/export": {}}}
    drive(InventoryProbe().run(wider), lambda r: ok(more) if r.path == "/openapi.json" else ProbeResponse(404))
    assert rules(wider) == [("inventory.undocumented-path", "GET /openapi.json")]
    as_yaml = context()  # the same document served as YAML
    text = yaml.safe_dump(own).encode()
    drive(InventoryProbe().run(as_yaml), lambda r: ProbeResponse(200, (("content-type", "application/yaml"),), text)
          if r.path == "/openapi.yaml" else ProbeResponse(404))
    assert as_yaml.findings == []


def redeem_operation() -> ScanOperation:
    """A code check behind sign-in: ``POST /vouchers/redeem`` with ``{"voucher_code": ...}``, secured."""
    body = {"type": "object", "properties": {"voucher_code": {"type": "string"}}}
    return ScanOperation("POST", "/vouchers/redeem", "redeemVoucherCode", (), [], body, {"200": None}, secured=True)


def test_a_code_check_behind_sign_in_gets_the_attempts_with_a_s_credentials() -> None:
    ctx = ScanContext([redeem_operation()], target="http://api.test", allow_unsafe=True)
    ctx.identities["a"] = Identity("a", (("Authorization", "Bearer token-a"),), username="a")
    sent = drive(AttemptsProbe().run(ctx), lambda r: ok({"message": "invalid code"}) if r.identity == "a"
                 else ok({"detail": "not authenticated"}, 401))
    assert sent and all(r.identity == "a" for r in sent)
    assert rules(ctx) == [("auth.no-attempt-limit", "POST /vouchers/redeem")]


def test_a_burst_that_only_met_not_authenticated_is_no_attempt_limit_finding() -> None:
    ctx = ScanContext([redeem_operation()], target="http://api.test", allow_unsafe=True)
    ctx.identities["a"] = Identity("a", (("Authorization", "Bearer expired"),), username="a")
    drive(AttemptsProbe().run(ctx), lambda r: ok({"detail": "not authenticated"}, 401))
    assert ctx.findings == []
