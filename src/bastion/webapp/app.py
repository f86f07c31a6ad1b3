"""AppRequest/AppResponse and a small path-template Router (sans-I/O)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl

import orjson

from bastion.http.headers import Headers
from bastion.http.problem import METHOD_NOT_ALLOWED, NOT_FOUND, Problem

if TYPE_CHECKING:
    from bastion.chain.exchange import Principal


@dataclass(slots=True)
class AppRequest:
    method: str
    path: str
    query_string: str = ""
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""
    client_ip: str = "127.0.0.1"
    scheme: str = "https"
    params: dict[str, str] = field(default_factory=dict)
    tls_peer_cert: bytes | None = None
    principal: Principal | None = None
    """Who the gateway's authentication policies established, for an app served in process
    (``internal:<name>``); set only by the gateway, never from anything on the wire."""

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass(slots=True)
class AppResponse:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


class App(Protocol):
    async def handle(self, request: AppRequest) -> AppResponse: ...


def json_response(data: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> AppResponse:
    hdrs = [("content-type", "application/json")]
    if headers:
        hdrs.extend(headers)
    return AppResponse(status, hdrs, orjson.dumps(data))


def problem_response(problem: Problem, request_id: str | None = None) -> AppResponse:
    hdrs = [("content-type", "application/problem+json"), *problem.headers]
    return AppResponse(problem.status, hdrs, problem.body(request_id))


Handler = Callable[[AppRequest], Awaitable[AppResponse]]
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Router:
    """Routes by method and path template (``/orders/{order_id}``); 404/405 as problems."""

    def __init__(self) -> None:
        self._routes: list[tuple[re.Pattern[str], dict[str, Handler]]] = []
        self._index: dict[str, int] = {}

    def add(self, method: str, template: str, handler: Handler) -> None:
        if template not in self._index:
            regex = "^" + _PARAM.sub(r"(?P<\1>[^/]+)", re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
            self._index[template] = len(self._routes)
            self._routes.append((re.compile(regex + "$"), {}))
        self._routes[self._index[template]][1][method.upper()] = handler

    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.add(method, template, fn)
            return fn

        return deco

    async def handle(self, request: AppRequest) -> AppResponse:
        allowed: set[str] = set()
        for regex, methods in self._routes:
            m = regex.match(request.path)
            if not m:
                continue
            handler = methods.get(request.method) or (methods.get("GET") if request.method == "HEAD" else None)
            if handler is None:
                allowed.update(methods)
                continue
            request.params = m.groupdict()
            return await handler(request)
        if allowed:
            allow = ", ".join(sorted(allowed))
            return problem_response(METHOD_NOT_ALLOWED.problem(headers=(("allow", allow),)))
        return problem_response(NOT_FOUND.problem())
