"""The sample API as a ``bastion.webapp.App``: one codebase, a ``secure`` flag selects the twin.

Cross-cutting behaviour lives here: CORS, response headers, TRACE, error pages, body-size and rate
limits, and who the caller is. The routes live in the ``*_routes`` modules beside this one.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

import orjson

from bastion.samples.vulnapi import auth_routes, misc_routes, shop_routes, user_routes
from bastion.samples.vulnapi.errors import HttpError
from bastion.samples.vulnapi.store import USER_FIELDS, Store
from bastion.samples.vulnapi.tokens import TokenIssuer
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response

SECURE_HEADERS = [
    ("x-content-type-options", "nosniff"),
    ("cache-control", "no-store"),
    ("x-frame-options", "DENY"),
    ("content-security-policy", "frame-ancestors 'none'"),
]
MAX_BODY = 64 * 1024


class TokenBucket:
    """Per-key token buckets; ``take`` answers whether one more request is allowed."""

    def __init__(self, capacity: float, per_second: float, now: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self.now = now
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> bool:
        now = self.now()
        tokens, last = self.buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.per_second)
        allowed = tokens >= 1
        self.buckets[key] = (tokens - 1 if allowed else tokens, now)
        return allowed


class VulnApi:
    def __init__(self, *, secure: bool = False) -> None:
        self.secure = secure
        self.store = Store()
        self.tokens = TokenIssuer(secure=secure)
        self.requests = TokenBucket(capacity=30, per_second=15)
        self.attempts = TokenBucket(capacity=5, per_second=0.05)
        self.reset_codes: dict[str, str] = {}
        self.router = Router()
        for module in (auth_routes, user_routes, shop_routes, misc_routes):
            module.register(self.router, self)

    # --- who is calling -------------------------------------------------------------------------
    def caller(self, request: AppRequest, *, query_token: bool = False) -> dict[str, Any]:
        header = request.headers.get("authorization") or ""
        token = header[7:] if header.lower().startswith("bearer ") else ""
        if not token and query_token and not self.secure:
            token = request.query.get("access_token", "")
        claims = self.tokens.verify(token) if token else None
        if claims is None:
            raise HttpError(401, "authentication required")
        user = self.store.user(int(claims.get("sub", 0))) if str(claims.get("sub", "")).isdigit() else None
        if user is None:
            raise HttpError(401, "authentication required")
        return user

    def require_admin(self, request: AppRequest) -> dict[str, Any]:
        user = self.caller(request)
        if self.secure and user["role"] != "admin":
            raise HttpError(403, "forbidden")
        return user

    def limit_attempts(self, request: AppRequest, subject: str) -> None:
        if self.secure and not self.attempts.take(f"{request.client_ip}|{subject}"):
            raise HttpError(429, "too many attempts")

    def body(self, request: AppRequest) -> dict[str, Any]:
        try:
            data = request.json()
        except orjson.JSONDecodeError:
            if self.secure:
                raise HttpError(400, "the body must be a JSON object") from None
            raise
        if not isinstance(data, dict):
            raise HttpError(400, "expected a JSON object")
        return data

    @staticmethod
    def public_user(user: dict[str, Any]) -> dict[str, Any]:
        return {k: user[k] for k in USER_FIELDS}

    # --- the App contract ----------------------------------------------------------------------
    async def handle(self, request: AppRequest) -> AppResponse:
        response = await self._dispatch(request)
        return self._decorate(request, response)

    async def _dispatch(self, request: AppRequest) -> AppResponse:
        if self.secure:
            if len(request.body) > MAX_BODY:
                return json_response({"error": "payload too large"}, 413)
            if not self.requests.take(f"{request.client_ip}|{request.method}|{request.path}"):
                return json_response({"error": "rate limited"}, 429, [("retry-after", "1")])
        if request.method == "TRACE":
            if self.secure:
                return json_response({"error": "method not allowed"}, 405)
            echo = f"TRACE {request.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in request.headers)
            return AppResponse(200, [("content-type", "message/http")], echo.encode())
        if request.method == "OPTIONS":
            return AppResponse(204, [("allow", "GET, POST, PUT, DELETE, OPTIONS")])
        try:
            return await self.router.handle(request)
        except HttpError as exc:
            return json_response({"error": exc.message}, exc.status)
        except Exception as exc:
            if self.secure:
                return json_response({"error": "internal error"}, 500)
            return json_response({"error": repr(exc), "trace": traceback.format_exc()}, 500)

    def _decorate(self, request: AppRequest, response: AppResponse) -> AppResponse:
        origin = request.headers.get("origin")
        if self.secure:
            response.headers.extend(SECURE_HEADERS)
            return response
        response.headers.append(("x-powered-by", "Python/3.11 sqlite3/3.40"))
        if origin:
            response.headers.append(("access-control-allow-origin", origin))
            response.headers.append(("access-control-allow-credentials", "true"))
        return response
