"""Unit: the admin App in-process (no sockets) — authentication, login/CSRF, the endpoints, audited
block lifting, security headers, and the loopback bind rule."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from bastion.admin.bind import check_admin_bind
from bastion.anomaly.blocklist import Block
from bastion.errors import ConfigError
from bastion.http.headers import Headers
from bastion.observability.factory import Monitoring, build_monitoring
from bastion.testing.clock import FakeClock
from bastion.webapp import AppRequest, AppResponse

pytestmark = pytest.mark.anyio
TOKEN = "admin-token-0123456789abcdef"


@pytest.fixture
def mon(tmp_path: Path) -> Monitoring:
    return build_monitoring(audit={"enabled": False}, access_log={"enabled": False}, anomaly={},
                            admin_token=TOKEN, clock=FakeClock(), base_dir=tmp_path)


async def call(mon: Monitoring, method: str, path: str, headers: list[tuple[str, str]] | None = None,
               body: bytes = b"", query: str = "") -> AppResponse:
    hdrs = Headers([("host", "127.0.0.1:9000"), *(headers or [])])
    return await mon.admin.handle(AppRequest(method, path, query, hdrs, body, scheme="http"))


def header(resp: AppResponse, name: str) -> str:
    return next((v for k, v in resp.headers if k == name), "")


async def login(mon: Monitoring) -> tuple[str, str]:
    """Log in through the form like a browser; returns (session cookie, CSRF token)."""
    form = await call(mon, "GET", "/login")
    login_cookie = header(form, "set-cookie").split(";")[0]
    csrf_field = login_cookie.split("=", 1)[1]
    resp = await call(mon, "POST", "/login", [("cookie", login_cookie),
                                                ("content-type", "application/x-www-form-urlencoded")],
                      f"token={TOKEN}&csrf={csrf_field}".encode())
    assert resp.status == 303 and header(resp, "location") == "/dashboard"
    cookie = header(resp, "set-cookie")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    session = cookie.split(";")[0]
    page = await call(mon, "GET", "/dashboard", [("cookie", session)])
    csrf = page.body.decode().split('name="csrf-token" content="')[1].split('"')[0]
    return session, csrf


@pytest.mark.parametrize("path", ["/metrics", "/admin/alerts", "/admin/blocks", "/admin/stats", "/admin/audit"])
async def test_every_endpoint_requires_authentication(mon: Monitoring, path: str) -> None:
    assert (await call(mon, "GET", path)).status == 401
    assert (await call(mon, "GET", path, [("authorization", "Bearer wrong-token-of-some-length")])).status == 401
    assert (await call(mon, "GET", path, [("authorization", f"Bearer {TOKEN}")])).status == 200


async def test_metrics_exposition(mon: Monitoring) -> None:
    resp = await call(mon, "GET", "/metrics", [("authorization", f"Bearer {TOKEN}")])
    assert header(resp, "content-type").startswith("text/plain")
    assert b"# TYPE bastion_requests_total counter" in resp.body
    assert b"# TYPE bastion_anomaly_alerts_total counter" in resp.body


async def test_dashboard_redirects_to_login_without_session(mon: Monitoring) -> None:
    resp = await call(mon, "GET", "/dashboard")
    assert resp.status == 303 and header(resp, "location") == "/login"


async def test_login_with_wrong_token_is_refused_and_throttled(mon: Monitoring) -> None:
    for _ in range(12):
        form = await call(mon, "GET", "/login")
        cookie = header(form, "set-cookie").split(";")[0]
        body = f"token=nope&csrf={cookie.split('=')[1]}".encode()
        resp = await call(mon, "POST", "/login", [("cookie", cookie)], body)
        assert resp.status == 401
    form = await call(mon, "GET", "/login")
    cookie = header(form, "set-cookie").split(";")[0]
    body = f"token={TOKEN}&csrf={cookie.split('=')[1]}".encode()
    resp = await call(mon, "POST", "/login", [("cookie", cookie)], body)
    assert resp.status == 401  # throttled even with the right token


async def test_login_form_rejects_cross_site_post_without_csrf_cookie(mon: Monitoring) -> None:
    resp = await call(mon, "POST", "/login", [], f"token={TOKEN}&csrf=guess".encode())
    assert resp.status == 403
    assert not any("bastion_admin=" in v for k, v in resp.headers if k == "set-cookie")


async def test_session_state_change_requires_csrf_token(mon: Monitoring) -> None:
    assert mon.blocklist is not None
    await mon.blocklist.add(Block("ip:203.0.113.9", "test", 0, 1e12))
    session, csrf = await login(mon)
    body = orjson.dumps({"key": "ip:203.0.113.9"})
    no_csrf = await call(mon, "POST", "/admin/blocks/lift", [("cookie", session)], body)
    assert no_csrf.status == 403
    cross_origin = await call(mon, "POST", "/admin/blocks/lift",
                              [("cookie", session), ("x-csrf-token", csrf), ("origin", "https://evil.example")], body)
    assert cross_origin.status == 403
    assert await mon.blocklist.get("ip:203.0.113.9") is not None
    ok = await call(mon, "POST", "/admin/blocks/lift", [("cookie", session), ("x-csrf-token", csrf)], body)
    assert ok.status == 200 and orjson.loads(ok.body) == {"key": "ip:203.0.113.9", "lifted": True}
    assert await mon.blocklist.get("ip:203.0.113.9") is None


async def test_lifting_a_block_is_audited(tmp_path: Path) -> None:
    mon = build_monitoring(audit={"sink": f"sqlite:///{tmp_path}/a.db"}, access_log={"enabled": False},
                           admin_token=TOKEN, clock=FakeClock(), base_dir=tmp_path)
    await mon.start()
    assert mon.blocklist is not None
    await mon.blocklist.add(Block("sub:mallory", "enumeration alert", 0, 1e12))
    resp = await call(mon, "POST", "/admin/blocks/lift", [("authorization", f"Bearer {TOKEN}")],
                      b'{"key": "sub:mallory"}')
    assert resp.status == 200
    verify = await call(mon, "POST", "/admin/audit/verify", [("authorization", f"Bearer {TOKEN}")])
    await mon.stop()
    assert mon.audit_log is not None
    kinds = [(r.kind, r.payload().get("action")) for r in await mon.audit_log.sink.read_all()]
    await mon.audit_log.sink.close()
    assert ("block.lifted", None) in kinds and ("admin.action", "audit.verify") in kinds
    assert orjson.loads(verify.body)["ok"] is True


async def test_responses_carry_security_headers_and_no_token(mon: Monitoring) -> None:
    session, _ = await login(mon)
    page = await call(mon, "GET", "/dashboard", [("cookie", session)])
    assert "default-src 'self'" in header(page, "content-security-policy")
    assert "frame-ancestors 'none'" in header(page, "content-security-policy")
    assert header(page, "cache-control") == "no-store"
    assert TOKEN.encode() not in page.body
    assert b"<script src=\"/dashboard/static/dashboard.js\"" in page.body
    assert b"http://" not in page.body and b"https://" not in page.body  # no CDN
    js = await call(mon, "GET", "/dashboard/static/dashboard.js", [("cookie", session)])
    assert js.status == 200 and header(js, "content-type").startswith("text/javascript")


async def test_alerts_and_stats_endpoints(mon: Monitoring) -> None:
    from bastion.testing.exchange import make_exchange

    clock = mon.observer.clock
    for i in range(15):
        clock.advance(1)  # type: ignore[attr-defined]
        mon.observer.observe(make_exchange("GET", f"/p{i}", route_id="", client_ip="198.51.100.3",
                                           response_status=404, received_at=clock.now()))
    clock.advance(1)  # type: ignore[attr-defined]  # the series covers complete seconds only
    auth = [("authorization", f"Bearer {TOKEN}")]
    alerts = orjson.loads((await call(mon, "GET", "/admin/alerts", auth)).body)["alerts"]
    assert [a["detector"] for a in alerts] == ["scanning"]
    assert set(alerts[0]) >= {"detector", "identity", "route", "started_at", "severity", "evidence", "action"}
    stats = orjson.loads((await call(mon, "GET", "/admin/stats", auth)).body)
    assert stats["identities"] == [["ip:198.51.100.3", 15]]
    assert sum(p["requests"] for p in stats["series"]) == 15


@pytest.mark.parametrize(("address", "token", "ok"), [
    ("127.0.0.1:9000", False, True),
    ("[::1]:9000", False, True),
    ("localhost:9000", False, True),
    ("0.0.0.0:9000", False, False),
    ("192.0.2.10:9000", False, False),
    ("0.0.0.0:9000", True, True),
])
def test_admin_refuses_public_address_without_authentication(address: str, token: bool, ok: bool) -> None:
    if ok:
        check_admin_bind(address, token_configured=token)
    else:
        with pytest.raises(ConfigError, match="non-loopback"):
            check_admin_bind(address, token_configured=token)


def test_generated_admin_token_is_private(tmp_path: Path) -> None:
    mon = build_monitoring(audit={"enabled": False, "state_dir": str(tmp_path / "st")}, access_log={"enabled": False},
                           base_dir=tmp_path)
    token_file = tmp_path / "st" / "admin-token"
    assert token_file.stat().st_mode & 0o777 == 0o600
    assert mon.admin.auth.token_ok(token_file.read_text().strip())
    assert "*" in repr(mon.admin.auth) and token_file.read_text().strip() not in repr(mon.admin.auth)


async def test_verified_client_certificate_grants_read_access_and_a_dashboard_session(tmp_path: Path) -> None:
    mon = build_monitoring(audit={"enabled": False}, access_log={"enabled": False}, admin_token=TOKEN,
                           clock=FakeClock(), base_dir=tmp_path, admin_client_certs=True)
    cert = b"0\x82\x01\x0a-verified-client-certificate-der"

    async def with_cert(method: str, path: str, headers: list[tuple[str, str]] | None = None,
                        body: bytes = b"") -> AppResponse:
        hdrs = Headers([("host", "127.0.0.1:9000"), *(headers or [])])
        return await mon.admin.handle(AppRequest(method, path, "", hdrs, body, scheme="https", tls_peer_cert=cert))

    assert (await with_cert("GET", "/admin/blocks")).status == 200
    assert (await with_cert("POST", "/admin/blocks/lift", body=b'{"key": "ip:1.2.3.4"}')).status == 401
    page = await with_cert("GET", "/dashboard")
    assert page.status == 200
    cookie = header(page, "set-cookie")
    assert "Secure" in cookie and "SameSite=Strict" in cookie
    csrf = page.body.decode().split('name="csrf-token" content="')[1].split('"')[0]
    lift = await with_cert("POST", "/admin/blocks/lift", [("cookie", cookie.split(";")[0]), ("x-csrf-token", csrf)],
                           b'{"key": "ip:1.2.3.4"}')
    assert lift.status == 404  # authenticated and CSRF-checked; there was simply no such block


async def test_client_certificate_is_ignored_unless_the_listener_verifies_them(mon: Monitoring) -> None:
    hdrs = Headers([("host", "127.0.0.1:9000")])
    req = AppRequest("GET", "/admin/blocks", "", hdrs, b"", scheme="https", tls_peer_cert=b"any-cert")
    assert (await mon.admin.handle(req)).status == 401


def _generate_token(state_dir: str, start: float) -> str:
    import time as _time

    from bastion.observability.factory import _admin_token

    while _time.time() < start:  # every process starts at the same moment
        pass
    return _admin_token(None, Path(state_dir))


def test_workers_generating_the_admin_token_together_all_get_the_same_whole_token(tmp_path: Path) -> None:
    """Workers start (and reload) at the same time: one used to read the file another had created but
    not yet written, got an empty token and failed its reload with 'at least 16 characters'."""
    import multiprocessing
    import time as _time

    for attempt in range(5):
        state_dir = tmp_path / f"st{attempt}"
        start = _time.time() + 0.3
        with multiprocessing.get_context("fork").Pool(6) as pool:
            tokens = pool.starmap(_generate_token, [(str(state_dir), start)] * 6)
        assert len(set(tokens)) == 1 and len(tokens[0]) >= 32
        assert (state_dir / "admin-token").read_text().strip() == tokens[0]
        assert [p.name for p in state_dir.iterdir()] == ["admin-token"]  # no temporary file left behind
