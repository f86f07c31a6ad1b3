"""Registration, login and password reset.

Planted in the vulnerable twin: role accepted at registration (mass assignment), login and reset
codes without attempt limits, different answers for unknown users (enumeration), and a document-store
style password match that evaluates ``{"$ne": ...}`` operators (NoSQL injection).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from bastion.samples.vulnapi.errors import HttpError
from bastion.samples.vulnapi.store import check_password, hash_password
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response

if TYPE_CHECKING:
    from bastion.samples.vulnapi.app import VulnApi


def operator_match(stored_hash: str, supplied: Any) -> bool:
    """The vulnerable twin's matcher: a dict is a query operator, as in a document store."""
    if isinstance(supplied, dict):
        if "$ne" in supplied:
            return not check_password(str(supplied["$ne"]), stored_hash)
        if "$gt" in supplied:
            return True
        return False
    return isinstance(supplied, str) and check_password(supplied, stored_hash)


def register(router: Router, api: VulnApi) -> None:
    def fields(data: dict[str, Any], *names: str) -> list[str]:
        values = [data.get(n) for n in names]
        if not all(isinstance(v, str) and v for v in values):
            raise HttpError(422, "missing or invalid fields")
        return [str(v) for v in values]

    @router.route("POST", "/api/v1/auth/register")
    async def signup(request: AppRequest) -> AppResponse:
        data = api.body(request)
        username, email, password = fields(data, "username", "email", "password")
        if api.store.user_by_name(username):
            raise HttpError(409, "username taken")
        role = "user" if api.secure else str(data.get("role", "user"))
        user = api.store.add_user(username[:64], email[:128], password, role)
        return json_response(api.public_user(user), 201)

    @router.route("POST", "/api/v1/auth/login")
    async def login(request: AppRequest) -> AppResponse:
        data = api.body(request)
        username = data.get("username")
        password = data.get("password")
        if not isinstance(username, str):
            raise HttpError(422, "missing or invalid fields")
        api.limit_attempts(request, "login:" + username)
        user = api.store.user_by_name(username)
        if api.secure:
            stored = user["password_hash"] if user else ""
            if user is None or not isinstance(password, str) or not check_password(password, stored):
                raise HttpError(401, "invalid username or password")
        else:
            if user is None:
                raise HttpError(404, f"user {username} does not exist")
            if not operator_match(user["password_hash"], password):
                raise HttpError(401, "wrong password")
        return json_response({"token": api.tokens.issue(user), "token_type": "Bearer"})

    @router.route("POST", "/api/v1/auth/password-reset")
    async def reset_request(request: AppRequest) -> AppResponse:
        (username,) = fields(api.body(request), "username")
        api.limit_attempts(request, "reset:" + username)
        user = api.store.user_by_name(username)
        if user is None and not api.secure:
            raise HttpError(404, "no account with that username")
        if user is not None:
            api.reset_codes[username] = f"{secrets.randbelow(10_000):04d}"
        return json_response({"status": "if the account exists, a code was sent"}, 202)

    @router.route("POST", "/api/v1/auth/password-reset/confirm")
    async def reset_confirm(request: AppRequest) -> AppResponse:
        username, code, new_password = fields(api.body(request), "username", "code", "new_password")
        api.limit_attempts(request, "confirm:" + username)
        expected = api.reset_codes.get(username)
        user = api.store.user_by_name(username)
        if expected is None or user is None or not secrets.compare_digest(expected, code):
            raise HttpError(400, "invalid or expired code")
        del api.reset_codes[username]
        api.store.update_user(user["id"], {"password_hash": hash_password(new_password)})
        return json_response({"status": "password changed"})
