"""Helpers for the test_scan_* modules: the sample API (or any App) under uvicorn on 127.0.0.1:0."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from bastion.webapp.app import App, AppRequest, AppResponse
from bastion.webapp.asgi import to_asgi

LOGIN_FLOW = """\
identities:
  a: {request: {method: POST, path: /api/v1/auth/login, json: {username: alice, password: alice-pass-1}}}
  b: {request: {method: POST, path: /api/v1/auth/login, json: {username: bob, password: bob-pass-2}}}
  admin: {request: {method: POST, path: /api/v1/auth/login, json: {username: admin, password: admin-pass-3}}}
"""


class Recording:
    """Wraps an App and remembers (method, path) of every request it serves."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.seen: list[tuple[str, str]] = []

    async def handle(self, request: AppRequest) -> AppResponse:
        self.seen.append((request.method, request.path))
        return await self.app.handle(request)


@contextmanager
def serve(app: App, certfile: Path | None = None, keyfile: Path | None = None) -> Iterator[int]:
    """Serve ``app`` on 127.0.0.1, port 0, in a thread (TLS with ``certfile``); yields the port."""
    config = uvicorn.Config(to_asgi(app), host="127.0.0.1", port=0, log_level="error", lifespan="off",
                            server_header=False, date_header=False,
                            ssl_certfile=str(certfile) if certfile else None,
                            ssl_keyfile=str(keyfile) if keyfile else None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = int(server.servers[0].sockets[0].getsockname()[1])
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def write_login_flow(folder: Path) -> Path:
    path = folder / "login.yaml"
    path.write_text(LOGIN_FLOW)
    return path


# --- A "legacy" API: a spec that declares no security and no response schemas, short-lived JWTs --------
# Each behaviour below is one general shape the scanner must cope with; ``secure=False`` plants a flaw in
# it and ``secure=True`` is its fixed twin.

LEGACY_SPEC = """\
openapi: 3.0.1
info: {title: legacy notes, version: "1"}
paths:
  /maintenance/reset-store:
    get: {operationId: resetStore, responses: {"200": {description: wipes and seeds the data}}}
  /status:
    get: {operationId: status, responses: {"200": {description: up}}}
  /members:
    get: {operationId: listMembers, responses: {"200": {description: members}}}
  /members/_all:
    get: {operationId: listMembersFull, responses: {"200": {description: every field of every member}}}
  /members/join:
    post:
      operationId: join
      requestBody:
        content: {application/json: {schema: {type: object, properties:
          {handle: {type: string}, password: {type: string}, email: {type: string}}}}}
      responses: {"200": {description: joined}}
  /members/signin:
    post:
      operationId: signin
      requestBody:
        content: {application/json: {schema: {type: object, properties:
          {handle: {type: string}, password: {type: string}}}}}
      responses: {"200": {description: signed in or not}}
  /members/{handle}/secret:
    put:
      operationId: changeSecret
      parameters: [{name: handle, in: path, required: true, schema: {type: string}}]
      requestBody:
        content: {application/json: {schema: {type: object, properties: {password: {type: string}}}}}
      responses: {"204": {description: changed}}
  /members/{handle}/motto:
    put:
      operationId: changeMotto
      parameters: [{name: handle, in: path, required: true, schema: {type: string}}]
      requestBody:
        content: {application/json: {schema: {type: object, properties: {motto: {type: string}}}}}
      responses: {"204": {description: changed}}
  /notes:
    get: {operationId: listNotes, responses: {"200": {description: note names}}}
  /notes/{note_name}:
    get:
      operationId: readNote
      parameters: [{name: note_name, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: the note and its private text}}
  /albums:
    get: {operationId: listAlbums, responses: {"200": {description: album titles, no owners}}}
    post:
      operationId: addAlbum
      requestBody:
        content: {application/json: {schema: {type: object, properties:
          {album_title: {type: string, example: summer, maxLength: 40}, blurb: {type: string}}}}}
      responses: {"200": {description: a message only, no id}}
  /albums/{album_title}:
    get:
      operationId: readAlbum
      parameters: [{name: album_title, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: the album and its private blurb}}
"""
LEGACY_FLOW = """\
identities:
  a: {request: {method: POST, path: /members/signin, json: {handle: carol, password: carol-pass-1}},
      token: access_token}
  b: {request: {method: POST, path: /members/signin, json: {handle: dave, password: dave-pass-2}},
      token: access_token}
"""


class LegacyApi:
    """The legacy API in process; ``ttl`` is the tokens' lifetime in seconds."""

    def __init__(self, *, secure: bool, ttl: int = 600, key: bytes = b"placeholder") -> None:
        self.secure, self.ttl, self.key = secure, ttl, key
        self.resets = self.failures = 0
        self.oversized: list[str] = []
        self.seed()

    def seed(self) -> None:
        self.members: dict[str, dict[str, object]] = {
            "carol": {"handle": "carol", "password": "carol-pass-1", "email": "carol@example.org", "is_admin": False},
            "dave": {"handle": "dave", "password": "dave-pass-2", "email": "dave@example.org", "is_admin": False}}
        # dave's note is listed first: identity A (carol) must still pick her own as its baseline
        self.notes = {"dave-list": ("dave", "dave's private text"), "carol-diary": ("carol", "carol's private text")}
        # titles are unique (a second "summer" is refused); only dave has one until the scan adds some
        self.albums: dict[str, tuple[str, str]] = {"dave-mix": ("dave", "dave's private blurb")}

    def token(self, handle: str) -> str:
        from bastion.scanner.probes import jwt_forge

        now = int(time.time())
        return jwt_forge.sign({"alg": "HS256", "typ": "JWT"}, {"sub": handle, "iat": now, "exp": now + self.ttl},
                              self.key)

    def caller(self, request: AppRequest) -> str | None:
        import hmac

        from bastion.scanner.probes import jwt_forge

        token = (request.headers.get("authorization") or "")[7:]
        decoded = jwt_forge.decode(token)
        if decoded is None or decoded[1].get("exp", 0) < time.time():
            return None
        if not hmac.compare_digest(jwt_forge.sign(decoded[0], decoded[1], self.key), token):
            return None
        sub = decoded[1].get("sub")
        return sub if isinstance(sub, str) and sub in self.members else None

    async def handle(self, request: AppRequest) -> AppResponse:
        import asyncio
        import re

        from bastion.webapp.app import json_response

        parts = request.path.strip("/").split("/")
        body = request.json() if request.body else {}
        body = body if isinstance(body, dict) else {}
        fail = json_response({"result": "fail", "detail": "unauthorised"}, 401)
        if request.path == "/maintenance/reset-store":
            self.resets += 1
            self.seed()
            return json_response({"result": "reseeded"})
        if request.path == "/status":
            return json_response({"result": "up"})
        if request.path == "/members":
            return json_response({"members": [{"handle": m["handle"]} for m in self.members.values()]})
        if request.path == "/members/_all":  # the twin leaves the passwords out
            keys = ("handle", "email", "is_admin") if self.secure else ("handle", "email", "is_admin", "password")
            return json_response({"members": [{k: m[k] for k in keys} for m in self.members.values()]})
        if request.path == "/members/join" and request.method == "POST":
            handle = str(body.get("handle", ""))
            if len(handle) > 100_000:
                self.oversized.append(request.path)
            if not handle or handle in self.members:
                return json_response({"result": "fail", "detail": "taken"})
            admin = bool(body.get("is_admin")) and not self.secure
            self.members[handle] = {"handle": handle, "password": str(body.get("password")),
                                    "email": str(body.get("email")), "is_admin": admin}
            return json_response({"result": "ok", "detail": "joined; sign in now"})
        if request.path == "/members/signin" and request.method == "POST":
            member = self.members.get(str(body.get("handle")))
            if member is not None and member["password"] == body.get("password"):
                return json_response({"result": "ok", "access_token": self.token(str(member["handle"]))})
            if self.secure:
                self.failures += 1
                return json_response({"result": "fail", "detail": "wrong handle or password"},
                                     429 if self.failures > 5 else 200)
            return json_response({"result": "fail", "detail": "no such member" if member is None else "wrong password"})
        if len(parts) == 3 and parts[0] == "members" and request.method == "PUT":
            who = self.caller(request)
            if who is None:
                return fail
            if parts[2] == "secret":
                target = who if self.secure else parts[1]
                if target not in self.members or not body.get("password"):
                    return json_response({"result": "fail"}, 400)
                self.members[target]["password"] = str(body["password"])
                return AppResponse(204)
            if parts[2] == "motto":
                motto = str(body.get("motto", ""))
                if len(motto) > 100_000:
                    self.oversized.append(request.path)
                    return AppResponse(204)
                crafted = re.fullmatch(r"a+!", motto)
                if crafted and not self.secure:  # stands in for catastrophic backtracking, without the hang
                    await asyncio.sleep(min(0.05 * 2 ** max(len(motto) - 18, 0), 3.0))
                return AppResponse(204)
        if request.path == "/albums" and request.method == "GET":
            return json_response({"albums": [{"album_title": t} for t in self.albums]})
        if parts[0] == "albums":
            return self.album(request, parts, body)
        if request.path == "/notes":
            return json_response({"notes": [{"note_name": n, "owner": o} for n, (o, _) in self.notes.items()]})
        if len(parts) == 2 and parts[0] == "notes":
            who = self.caller(request)
            if who is None:
                return fail
            note = self.notes.get(parts[1])
            if note is None or (self.secure and note[0] != who):
                return json_response({"result": "fail", "detail": "no such note"}, 404)
            return json_response({"note_name": parts[1], "owner": note[0], "text": note[1]})
        return json_response({"result": "fail", "detail": "not found"}, 404)

    def album(self, request: AppRequest, parts: list[str], body: dict[str, object]) -> AppResponse:
        from bastion.webapp.app import json_response

        who = self.caller(request)
        if who is None:
            return json_response({"result": "fail", "detail": "unauthorised"}, 401)
        if len(parts) == 1 and request.method == "POST":
            title = str(body.get("album_title", ""))
            if not title or title in self.albums:
                return json_response({"result": "fail", "detail": "title taken"}, 500)
            self.albums[title] = (who, str(body.get("blurb", "")))
            return json_response({"result": "ok", "detail": "album added"})  # no id, no title
        album = self.albums.get(parts[1]) if len(parts) == 2 else None
        if album is None or (self.secure and album[0] != who):
            return json_response({"result": "fail", "detail": "no such album"}, 404)
        return json_response({"album_title": parts[1], "owner": album[0], "blurb": album[1]})


def write_legacy(folder: Path) -> tuple[Path, Path]:
    """The legacy API's spec and login flow, written into ``folder``."""
    spec, flow = folder / "legacy.yaml", folder / "legacy-login.yaml"
    spec.write_text(LEGACY_SPEC)
    flow.write_text(LEGACY_FLOW)
    return spec, flow


# --- A kitchen API: staff-only operations, orders that reference menu items -------------------------------
# Shapes the scanner must cope with: a create that is a PUT on the collection and only staff may call (its
# image URL is fetched by the server), a delete that must be staff-only too, order bodies whose items name
# dishes by id (and an optional voucher id that fails the order when it names nothing), and orders read
# by id. ``secure=False`` plants the flaws; ``secure=True`` is the fixed twin.

KITCHEN_SPEC = """\
openapi: 3.0.1
info: {title: kitchen, version: "1"}
security: [{bearer: []}]
components:
  securitySchemes: {bearer: {type: http, scheme: bearer}}
paths:
  /dishes:
    get: {operationId: listDishes, security: [], responses: {"200": {description: the menu}}}
    put:
      operationId: addDish
      requestBody:
        content: {application/json: {schema: {type: object, required: [name, price], properties:
          {name: {type: string}, price: {type: number}, image_url: {type: string}}}}}
      responses: {"201": {description: added}}
  /dishes/{dish_id}:
    delete:
      operationId: removeDish
      parameters: [{name: dish_id, in: path, required: true, schema: {type: integer}}]
      responses: {"204": {description: removed}}
  /orders:
    post:
      operationId: placeOrder
      requestBody:
        content: {application/json: {schema: {type: object, required: [items, address], properties:
          {address: {type: string}, voucher_id: {type: integer},
           items: {type: array, items: {type: object, required: [dish_id, quantity], properties:
             {dish_id: {type: integer}, quantity: {type: integer, minimum: 1}}}}}}}}
      responses: {"201": {description: placed}}
  /orders/{order_id}:
    get:
      operationId: readOrder
      parameters: [{name: order_id, in: path, required: true, schema: {type: integer}}]
      responses: {"200": {description: the order}}
  /account:
    get: {operationId: myAccount, responses: {"200": {description: the caller's account, with its role}}}
    patch:
      operationId: editAccount
      requestBody:
        content: {application/json: {schema: {type: object, properties: {display_name: {type: string}}}}}
      responses: {"200": {description: the account}}
  /staff/roles:
    put:
      operationId: assignRole
      requestBody:
        content: {application/json: {schema: {type: object, required: [username, role], properties:
          {username: {type: string}, role: {type: string}}}}}
      responses: {"200": {description: assigned}}
"""
KITCHEN_TOKENS = {"tok-carol": ("carol", "customer"), "tok-dave": ("dave", "customer"), "tok-chef": ("chef", "staff")}
KITCHEN_ROLES = ("Diner", "Staff", "Cook")  # the words this API uses; chef is a Cook


class KitchenApi:
    def __init__(self, *, secure: bool) -> None:
        self.secure = secure
        self.dishes: dict[int, dict[str, object]] = {7: {"id": 7, "name": "soup", "price": 4.5},
                                                     9: {"id": 9, "name": "pie", "price": 3.0}}
        self.orders: dict[int, dict[str, object]] = {}
        self.fetched: list[str] = []
        self.added: list[int] = []
        self.next_id = 100
        self.roles = {"carol": "Diner", "dave": "Diner", "chef": "Cook"}
        self.raised: list[tuple[str, str]] = []

    async def handle(self, request: AppRequest) -> AppResponse:
        from bastion.webapp.app import json_response

        parts = request.path.strip("/").split("/")
        who = KITCHEN_TOKENS.get((request.headers.get("authorization") or "")[7:])
        if request.path == "/dishes" and request.method == "GET":
            return json_response(list(self.dishes.values()))
        if who is None:
            return json_response({"detail": "not authenticated"}, 401)
        body = request.json() if request.body else {}
        body = body if isinstance(body, dict) else {}
        if request.path == "/dishes" and request.method == "PUT":
            return await self.add_dish(who[1], body)
        if len(parts) == 2 and parts[0] == "dishes" and request.method == "DELETE":
            if self.secure and who[1] != "staff":
                return json_response({"detail": "staff only"}, 403)
            found = self.dishes.pop(int(parts[1]), None) if parts[1].isdigit() else None
            return AppResponse(204) if found is not None else json_response({"detail": "no such dish"}, 404)
        if request.path == "/orders" and request.method == "POST":
            return self.place_order(who[0], body)
        if request.path in ("/account", "/staff/roles"):
            return self.account(request.method, who, body)
        if len(parts) == 2 and parts[0] == "orders" and request.method == "GET":
            order = self.orders.get(int(parts[1])) if parts[1].isdigit() else None
            if order is None or (self.secure and order["owner"] != who[0]):
                return json_response({"detail": "no such order"}, 404)
            return json_response(order)
        return json_response({"detail": "not found"}, 404)

    async def add_dish(self, role: str, body: dict[str, object]) -> AppResponse:
        from bastion.webapp.app import json_response

        if role != "staff":
            return json_response({"detail": "staff only"}, 403)
        url = str(body.get("image_url") or "")
        if url:
            if self.secure and not url.startswith("https://images.example/"):
                return json_response({"detail": "images come from images.example"}, 422)
            try:
                async with httpx.AsyncClient(timeout=2) as client:
                    await client.get(url)
                self.fetched.append(url)
            except httpx.HTTPError:
                return json_response({"detail": "image fetch failed"}, 500)
        self.next_id += 1
        dish = {"id": self.next_id, "name": str(body.get("name")), "price": body.get("price")}
        self.dishes[self.next_id] = dish
        self.added.append(self.next_id)
        return json_response(dish, 201)

    def account(self, method: str, who: tuple[str, str], body: dict[str, object]) -> AppResponse:
        """``/account`` (a role in a PATCH is kept: mass assignment) and ``/staff/roles`` (any signed-in user
        may assign any role but Cook: a function-level flaw); the twin ignores the one and refuses the other."""
        from bastion.webapp.app import json_response

        name, role = who[0], body.get("role")
        if method == "PUT":
            if self.secure and who[1] != "staff":
                return json_response({"detail": "staff only"}, 403)
            if role == "Cook":
                return json_response({"detail": "only a Cook makes Cooks"}, 403)
            name = str(body.get("username"))
        if method in ("PUT", "PATCH") and role is not None and not (self.secure and method == "PATCH"):
            if role not in KITCHEN_ROLES or name not in self.roles:
                return json_response({"detail": "no such role or user"}, 422)
            self.roles[name] = str(role)
            self.raised.append((name, str(role)))
        return json_response({"username": who[0], "role": self.roles[who[0]]})

    def place_order(self, owner: str, body: dict[str, object]) -> AppResponse:
        from bastion.webapp.app import json_response

        if body.get("voucher_id") is not None:
            return json_response({"detail": "no such voucher"}, 404)
        items = body.get("items")
        if not isinstance(items, list) or not items:
            return json_response({"detail": "items required"}, 422)
        for item in items:
            if not isinstance(item, dict) or item.get("dish_id") not in self.dishes:
                return json_response({"detail": f"no dish {item!r}"}, 404)
        self.next_id += 1
        order = {"id": self.next_id, "owner": owner, "address": str(body.get("address")), "items": items}
        self.orders[self.next_id] = order
        return json_response(order, 201)


def write_kitchen(folder: Path) -> Path:
    spec = folder / "kitchen.yaml"
    spec.write_text(KITCHEN_SPEC)
    return spec
