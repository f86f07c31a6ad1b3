"""Posts, tools, administration, health, and what the vulnerable twin forgot to remove.

Planted in the vulnerable twin: posts deletable by anyone (BOLA) and a ``likes`` type that breaks the
spec; a host-lookup tool that runs a shell (OS command injection); an email check with a nested
quantifier (ReDoS); admin operations open to every signed-in user (BFLA); an undocumented ``/debug``
that shows the signing secret and an old ``/api/v0`` that lists users without authentication.
"""

from __future__ import annotations

import asyncio
import re
from asyncio.subprocess import DEVNULL, PIPE
from typing import TYPE_CHECKING

from bastion.samples.vulnapi.errors import HttpError
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response

if TYPE_CHECKING:
    from bastion.samples.vulnapi.app import VulnApi

EMAIL_UNSAFE = re.compile(r"^([a-zA-Z0-9_.+-]+)+@[a-zA-Z0-9-]+\.[a-zA-Z]+$")
EMAIL_SAFE = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$")
HOSTNAME = re.compile(r"^[A-Za-z0-9.-]{1,253}$")


async def _lookup(host: str, *, secure: bool) -> list[str]:
    if secure:
        if not HOSTNAME.fullmatch(host):
            raise HttpError(422, "invalid host name")
        proc = await asyncio.create_subprocess_exec(
            "grep", "-w", "-F", "--", host, "/etc/hosts", stdin=DEVNULL, stdout=PIPE, stderr=DEVNULL)
    else:
        proc = await asyncio.create_subprocess_shell(  # planted: OS command injection
            f"grep -w -- {host} /etc/hosts", stdin=DEVNULL, stdout=PIPE, stderr=DEVNULL)
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=10)
    return [line.split()[0] for line in out.decode(errors="replace").splitlines() if line.split()]


def register(router: Router, api: VulnApi) -> None:
    @router.route("GET", "/api/v1/posts")
    async def posts(request: AppRequest) -> AppResponse:
        items = api.store.posts()
        if not api.secure:
            items = [{**p, "likes": str(p["likes"])} for p in items]
        return json_response({"items": items})

    @router.route("POST", "/api/v1/posts")
    async def create_post(request: AppRequest) -> AppResponse:
        user = api.caller(request)
        data = api.body(request)
        title, body = data.get("title"), data.get("body")
        if not isinstance(title, str) or not isinstance(body, str):
            raise HttpError(422, "title and body must be strings")
        if api.secure and len(title + body) > 5000:
            raise HttpError(422, "title and body must be strings")
        return json_response(api.store.add_post(user["id"], title, body), 201)

    @router.route("GET", "/api/v1/posts/{post_id}")
    async def get_post(request: AppRequest) -> AppResponse:
        raw = request.params["post_id"]
        post = api.store.post(int(raw)) if raw.isdigit() else None
        if post is None:
            raise HttpError(404, "post not found")
        return json_response(post)

    @router.route("DELETE", "/api/v1/posts/{post_id}")
    async def delete_post(request: AppRequest) -> AppResponse:
        user = api.caller(request)
        raw = request.params["post_id"]
        post = api.store.post(int(raw)) if raw.isdigit() else None
        if post is None or (api.secure and post["author_id"] != user["id"] and user["role"] != "admin"):
            raise HttpError(404, "post not found")
        api.store.delete_post(post["id"])
        return AppResponse(204)

    @router.route("GET", "/api/v1/tools/hosts")
    async def hosts(request: AppRequest) -> AppResponse:
        api.caller(request)
        host = request.query.get("host", "")
        return json_response({"host": host, "addresses": await _lookup(host, secure=api.secure)})

    @router.route("GET", "/api/v1/newsletter/check")
    async def check_email(request: AppRequest) -> AppResponse:
        email = request.query.get("email", "")
        if api.secure:
            valid = len(email) <= 254 and EMAIL_SAFE.fullmatch(email) is not None
        else:
            valid = EMAIL_UNSAFE.match(email) is not None
        return json_response({"email": email, "valid": valid})

    @router.route("GET", "/api/v1/admin/users")
    async def admin_users(request: AppRequest) -> AppResponse:
        api.require_admin(request)
        return json_response({"items": [api.public_user(u) for u in api.store.users()]})

    @router.route("DELETE", "/api/v1/admin/users/{user_id}")
    async def admin_delete(request: AppRequest) -> AppResponse:
        api.require_admin(request)
        raw = request.params["user_id"]
        if not raw.isdigit() or not api.store.delete_user(int(raw)):
            raise HttpError(404, "user not found")
        return AppResponse(204)

    @router.route("GET", "/api/v1/admin/stats")
    async def admin_stats(request: AppRequest) -> AppResponse:
        api.require_admin(request)
        return json_response({"users": len(api.store.users()), "posts": len(api.store.posts())})

    @router.route("GET", "/api/v1/health")
    async def health(request: AppRequest) -> AppResponse:
        return json_response({"status": "ok"})

    if api.secure:
        return

    @router.route("GET", "/debug")
    async def debug(request: AppRequest) -> AppResponse:
        return json_response({"jwt_secret": api.tokens.key.decode(), "database": ":memory:",
                              "reset_codes": len(api.reset_codes)})

    @router.route("GET", "/api/v0/users")
    async def legacy_users(request: AppRequest) -> AppResponse:
        return json_response({"items": api.store.users()})
