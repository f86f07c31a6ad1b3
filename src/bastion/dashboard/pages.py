"""Dashboard pages: the login form (token → session cookie), the dashboard page and its static assets.

The login form is protected against login CSRF with a double-submit token (a ``SameSite=Strict``
cookie scoped to ``/login`` plus a hidden field). The page has no inline script: the CSRF token for
the API reaches the script through a ``<meta>`` tag, and the CSP forbids everything not from 'self'.
"""

from __future__ import annotations

import hmac
import html
import secrets
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from bastion.admin.auth import parse_cookies
from bastion.webapp import AppRequest, AppResponse, Router

if TYPE_CHECKING:
    from bastion.admin.api import AdminApp

LOGIN_COOKIE = "bastion_login_csrf"
STATIC = {"dashboard.js": "text/javascript; charset=utf-8", "dashboard.css": "text/css; charset=utf-8"}


def _asset(name: str) -> str:
    return resources.files("bastion.dashboard").joinpath("static", name).read_text()


def _html(body: str, status: int = 200, headers: list[tuple[str, str]] | None = None) -> AppResponse:
    return AppResponse(status, [("content-type", "text/html; charset=utf-8"), *(headers or [])], body.encode())


def _redirect(location: str, headers: list[tuple[str, str]] | None = None) -> AppResponse:
    return AppResponse(303, [("location", location), *(headers or [])])


def register_pages(router: Router, app: AdminApp) -> None:
    auth = app.auth
    page = _asset("dashboard.html")
    login_page = _asset("login.html")
    assets = {name: _asset(name).encode() for name in STATIC}

    def login_form(error: str = "", status: int = 200) -> AppResponse:
        token = secrets.token_urlsafe(24)
        body = login_page.replace("{{csrf}}", token).replace("{{error}}", html.escape(error))
        cookie = f"{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=600"
        return _html(body, status, [("set-cookie", cookie)])

    async def get_login(request: AppRequest) -> AppResponse:
        return login_form()

    async def post_login(request: AppRequest) -> AppResponse:
        form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        expected = parse_cookies(request.headers.get("cookie")).get(LOGIN_COOKIE, "")
        if not expected or not hmac.compare_digest(form.get("csrf", "").encode(), expected.encode()):
            return login_form("The form expired. Please try again.", 403)
        session = auth.login(form.get("token", ""), request.client_ip)
        if session is None:
            app.ctx.trail.admin_action(f"ip:{request.client_ip}", "login.failed")
            return login_form("Wrong admin token, or too many attempts.", 401)
        app.ctx.trail.admin_action(session.actor, "login")
        return _redirect("/dashboard", [("set-cookie", auth.cookie(session, request.scheme == "https"))])

    async def post_logout(request: AppRequest) -> AppResponse:
        session = auth.session_of(request)
        if session is not None and auth.csrf_ok(request, session):
            auth.logout(session)
            app.ctx.trail.admin_action(session.actor, "logout")
        return _redirect("/login", [("set-cookie", auth.clear_cookie())])

    async def dashboard(request: AppRequest) -> AppResponse:
        session = auth.session_of(request)
        cookie: list[tuple[str, str]] = []
        if session is None:
            session = auth.login_with_cert(request)
            if session is None:
                return _redirect("/login")
            app.ctx.trail.admin_action(session.actor, "login.certificate")
            cookie = [("set-cookie", auth.cookie(session, request.scheme == "https"))]
        return _html(page.replace("{{csrf}}", html.escape(session.csrf)), headers=cookie)

    async def static(request: AppRequest) -> AppResponse:
        name = request.params.get("name", "")
        if name not in assets:
            return AppResponse(404, [("content-type", "text/plain")], b"not found")
        return AppResponse(200, [("content-type", STATIC[name])], assets[name])

    async def root(request: AppRequest) -> AppResponse:
        return _redirect("/dashboard")

    router.add("GET", "/", root)
    router.add("GET", "/login", get_login)
    router.add("POST", "/login", post_login)
    router.add("POST", "/logout", post_logout)
    router.add("GET", "/dashboard", dashboard)
    router.add("GET", "/dashboard/static/{name}", static)
