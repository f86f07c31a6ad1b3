"""The user's own profile, other users' profiles, avatars fetched by URL, and a data export.

Planted in the vulnerable twin: any caller reads any user with the password hash and API key
(BOLA, excessive exposure); ``PUT /users/me`` takes the target from a body ``username`` and accepts
``role`` (BOLA by body id, mass assignment); ``PUT /users/{username}`` has no ownership check; the
avatar URL is fetched from anywhere (SSRF); the export accepts the token in the query string.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from bastion.samples.vulnapi.errors import HttpError
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response

if TYPE_CHECKING:
    from bastion.samples.vulnapi.app import VulnApi

AVATAR_HOSTS = frozenset({"images.example.com"})


def _profile_update(data: dict[str, Any], *, secure: bool) -> dict[str, Any]:
    allowed = ("email", "bio") if secure else ("email", "bio", "role")
    update = {k: data[k] for k in allowed if k in data}
    if not all(isinstance(v, str) for v in update.values()):
        raise HttpError(422, "fields must be strings")
    return update


def register(router: Router, api: VulnApi) -> None:
    def view(user: dict[str, Any]) -> dict[str, Any]:
        return api.public_user(user) if api.secure else dict(user)

    @router.route("GET", "/api/v1/users/me")
    async def me(request: AppRequest) -> AppResponse:
        return json_response(api.public_user(api.caller(request)))

    @router.route("PUT", "/api/v1/users/me")
    async def update_me(request: AppRequest) -> AppResponse:
        user = api.caller(request)
        data = api.body(request)
        if not api.secure and isinstance(data.get("username"), str):
            user = api.store.user_by_name(data["username"]) or user
        api.store.update_user(user["id"], _profile_update(data, secure=api.secure))
        return json_response(api.public_user(api.store.user(user["id"]) or user))

    @router.route("GET", "/api/v1/users/{user_id}")
    async def get_user(request: AppRequest) -> AppResponse:
        caller = api.caller(request)
        raw = request.params["user_id"]
        target = api.store.user(int(raw)) if raw.isdigit() else None
        if target is None or (api.secure and caller["id"] != target["id"] and caller["role"] != "admin"):
            raise HttpError(404, "not found")
        return json_response(view(target))

    @router.route("PUT", "/api/v1/users/{username}")
    async def update_user(request: AppRequest) -> AppResponse:
        caller = api.caller(request)
        target = api.store.user_by_name(request.params["username"])
        if target is None or (api.secure and caller["id"] != target["id"]):
            raise HttpError(404, "not found")
        api.store.update_user(target["id"], _profile_update(api.body(request), secure=api.secure))
        return json_response(api.public_user(api.store.user(target["id"]) or target))

    @router.route("POST", "/api/v1/users/me/avatar")
    async def avatar(request: AppRequest) -> AppResponse:
        api.caller(request)
        url = api.body(request).get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise HttpError(422, "url must be an http(s) URL")
        if api.secure:
            if urlsplit(url).scheme != "https" or urlsplit(url).hostname not in AVATAR_HOSTS:
                raise HttpError(422, "avatars must be hosted on images.example.com")
            return json_response({"status": "queued", "size": 0})
        try:
            async with httpx.AsyncClient(timeout=2.0, follow_redirects=False) as client:
                fetched = await client.get(url)
        except httpx.HTTPError:
            raise HttpError(502, "could not fetch the avatar") from None
        return json_response({"status": "stored", "size": len(fetched.content)})

    @router.route("GET", "/api/v1/users/me/export")
    async def export(request: AppRequest) -> AppResponse:
        user = api.caller(request, query_token=True)
        orders = api.store.orders_of(user["id"], 1000, 0)
        return json_response({"user": api.public_user(user), "orders": orders})
