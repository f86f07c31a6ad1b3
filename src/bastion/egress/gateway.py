"""How the gateway mounts egress: the ``egress`` policy and the egress app.

Route (after an authentication policy that sets ``ex.principal``)::

    upstreams: {egress: {url: "internal:egress"}}
    routes:
      - id: egress
        match: {prefix: /egress/}
        upstream: egress
        policies: [{api_key: {...}}, {egress: {}}]

The **policy** answers 401 when no policy established a principal and 403 when the caller may not use
the partner (or it does not exist). The **app** is served in process, and the gateway hands it the
principal as an object (``AppRequest.principal``), never through a header: nothing a caller sends can
name who is calling. It accepts no call without a principal (a route that mounts it without
authentication gets 401s and never a partner credential), checks the caller's authorisation again,
refuses unsafe paths and query strings, and hands the call to ``EgressService``. Unknown and forbidden
partners get the same 403 (no enumeration).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Collection
from typing import Any, ClassVar, NamedTuple, Protocol

from bastion.chain.exchange import Exchange, Principal
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.egress.service import EgressService, Partner
from bastion.errors import ConfigError
from bastion.http.paths import PathError, encode_path, normalize_path
from bastion.http.problem import BAD_REQUEST, FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, Problem
from bastion.webapp.app import AppRequest, AppResponse

_QUERY_OK = re.compile(r"^[\x21-\x22\x24-\x7e]*$")
"""Visible ASCII except ``#``: no spaces, CR/LF or fragments reach the partner's request line."""


class EgressCall(Protocol):
    """What the egress app reads of a call: the gateway's ``Exchange``, or ``_AppCall`` around an
    ``AppRequest``."""

    @property
    def request(self) -> RequestLine: ...
    @property
    def principal(self) -> Principal | None: ...
    @property
    def forward_headers(self) -> Collection[tuple[str, str]]: ...
    @property
    def request_body(self) -> bytes | None: ...
    @property
    def request_id(self) -> str: ...
    @property
    def notes(self) -> dict[str, Any]: ...


class RequestLine(Protocol):
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def query_string(self) -> str: ...


class _AppCall:
    """An ``AppRequest`` seen as an ``EgressCall`` (the app served on its own, e.g. in tests)."""

    __slots__ = ("forward_headers", "notes", "principal", "request", "request_body", "request_id")

    def __init__(self, request: AppRequest) -> None:
        self.request = request
        self.principal = request.principal
        self.forward_headers = request.headers
        self.request_body = request.body
        self.request_id = request.headers.get("x-request-id") or ""
        self.notes: dict[str, Any] = {}


class Authorized(NamedTuple):
    """The policy's decision, noted on the exchange: this principal may call this partner, at ``rest``.
    The app takes it instead of deciding again when the principal is still the very one checked. (A tuple,
    made with ``tuple.__new__`` on every egress call: no Python-level ``__init__``.)"""

    partner: Partner
    rest: str
    principal: Principal


_authorized = tuple.__new__


class EgressApp:
    def __init__(self, service: EgressService) -> None:
        self.service = service

    async def handle(self, request: AppRequest) -> AppResponse:
        return AppResponse(*await self.serve_exchange(_AppCall(request)))

    def serve_exchange(self, ex: EgressCall) -> Awaitable[tuple[int, list[tuple[str, str]], bytes]]:
        """One call. The gateway hands its ``Exchange`` here directly (``proxy.engine``) and awaits what this
        returns: ``EgressService.call``'s own coroutine when the call goes out, so the request path has no
        ``AppRequest`` and no coroutine level of this app's own."""
        req = ex.request
        request_id = ex.request_id
        caller = ex.principal
        checked = ex.notes.get("egress")
        if isinstance(checked, Authorized) and checked.principal is caller:  # the egress policy decided
            partner, rest = checked.partner, checked.rest
        else:
            split = split_egress_path(self.service.mount, req.path)
            if split is None:
                return _problem(NOT_FOUND.problem(), request_id)
            name, rest = split
            if caller is None:
                return _problem(UNAUTHENTICATED.problem("egress requires an authenticated caller"), request_id)
            found = self.service.authorized_partner(name, caller.subject, caller.client_id)
            if found is None:
                return _problem(FORBIDDEN.problem("this caller may not use that partner"), request_id)
            partner = found
        query = req.query_string
        if ((rest[:1] != "/" or "//" in rest or "/." in rest or rest.strip(_PATH_CHARS))  # not plain_path (inlined)
                or (query and _QUERY_OK.match(query) is None)):  # (plain: no encoding needed)
            if not safe_partner_target(rest, query):
                return _problem(BAD_REQUEST.problem("unsafe path or query for egress"), request_id)
            rest = encode_path(rest)
        assert caller is not None
        # (positional: keyword arguments cost more to bind, on every call)
        return self.service.call(partner, caller.subject, req.method, rest, query, ex.forward_headers,
                                 ex.request_body or b"", request_id)


async def _problem(problem: Problem, request_id: str) -> tuple[int, list[tuple[str, str]], bytes]:
    return problem.status, [("content-type", "application/problem+json"), *problem.headers], \
        problem.body(request_id or None)


_PLAIN_PATH = re.compile(r"^(?=/)(?:/(?!\.)[A-Za-z0-9:@!$&'()*+,;=._~-]+)*/?$")
"""Segments of unreserved characters, none empty or starting with a dot: normal form by construction."""
_PATH_CHARS = "/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:@!$&'()*+,;=._~-"


def plain_path(path: str) -> bool:
    """``_PLAIN_PATH`` with ``str`` methods (a regex call costs ~3k instructions, on every egress call), and
    without the regex's ``$`` exception: a trailing newline is not plain."""
    return path[:1] == "/" and "//" not in path and "/." not in path and not path.strip(_PATH_CHARS)


def safe_partner_target(path: str, query: str) -> bool:
    """True when ``path`` (percent-decoded) is already in normal form (no dot segments, repeated or
    encoded slashes) and ``query`` can go on the partner's request line as it is."""
    if _QUERY_OK.match(query) is None:
        return False
    if plain_path(path):  # the common case, without normalising it again
        return True
    try:
        return normalize_path(path) == path
    except PathError:
        return False


def split_egress_path(mount: str, path: str) -> tuple[str, str] | None:
    """``/egress/payments/v1/charges`` → ``("payments", "/v1/charges")``; ``None`` outside the mount."""
    prefix = mount + "/"
    if not path.startswith(prefix):
        return None
    name, slash, rest = path[len(prefix):].partition("/")
    if not name:
        return None
    return name, slash + rest if slash else "/"


class EgressConfig(PolicyConfig):
    pass


class EgressPolicy(Policy):
    name: ClassVar[str] = "egress"
    config_model = EgressConfig

    def __init__(self, config: EgressConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        service = deps.services.get("egress")
        if not isinstance(service, EgressService):
            raise ConfigError("", "the egress policy needs an egress: section (no egress service is running)")
        self.service = service
        self._prefix = service.mount + "/"

    async def on_request(self, ex: Exchange) -> Problem | None:
        path, prefix = ex.request.path, self._prefix
        if not path.startswith(prefix):  # (split_egress_path, inlined: on every egress call)
            return None
        name, slash, rest = path[len(prefix):].partition("/")
        if not name:
            return None
        principal = ex.principal
        if principal is None:
            return UNAUTHENTICATED.problem("egress requires an authenticated caller",
                                           headers=(("www-authenticate", "Bearer"),))
        partner = self.service.partners.get(name)  # (authorized_partner, inlined)
        if partner is None or not (principal.subject in partner.callers  # (Partner.allows, inlined)
                                   or (principal.client_id is not None and principal.client_id in partner.callers)):
            return FORBIDDEN.problem("this caller may not use that partner")
        ex.notes["egress"] = _authorized(Authorized, (partner, slash + rest if slash else "/", principal))
        return None
