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
from typing import ClassVar

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.egress.service import EgressService
from bastion.errors import ConfigError
from bastion.http.paths import PathError, encode_path, normalize_path
from bastion.http.problem import BAD_REQUEST, FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, Problem
from bastion.webapp.app import AppRequest, AppResponse, problem_response

_QUERY_OK = re.compile(r"^[\x21-\x22\x24-\x7e]*$")
"""Visible ASCII except ``#``: no spaces, CR/LF or fragments reach the partner's request line."""


class EgressApp:
    def __init__(self, service: EgressService) -> None:
        self.service = service

    async def handle(self, request: AppRequest) -> AppResponse:
        split = split_egress_path(self.service.mount, request.path)
        if split is None:
            return problem_response(NOT_FOUND.problem())
        name, rest = split
        request_id = request.headers.get("x-request-id") or ""
        caller = request.principal
        if caller is None:
            return problem_response(UNAUTHENTICATED.problem("egress requires an authenticated caller"), request_id)
        partner = self.service.authorized_partner(name, caller.subject, caller.client_id)
        if partner is None:
            return problem_response(FORBIDDEN.problem("this caller may not use that partner"), request_id)
        if not safe_partner_target(rest, request.query_string):
            return problem_response(BAD_REQUEST.problem("unsafe path or query for egress"), request_id)
        result = await self.service.call(partner, subject=caller.subject, method=request.method, path=encode_path(rest),
                                         query=request.query_string, headers=request.headers, body=request.body,
                                         request_id=request_id)
        return AppResponse(result.status, result.headers, result.body)


_PLAIN_PATH = re.compile(r"^(?=/)(?:/(?!\.)[A-Za-z0-9:@!$&'()*+,;=._~-]+)*/?$")
"""Segments of unreserved characters, none empty or starting with a dot: normal form by construction."""


def safe_partner_target(path: str, query: str) -> bool:
    """True when ``path`` (percent-decoded) is already in normal form (no dot segments, repeated or
    encoded slashes) and ``query`` can go on the partner's request line as it is."""
    if _QUERY_OK.match(query) is None:
        return False
    if _PLAIN_PATH.match(path) is not None:  # the common case, without normalising it again
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

    async def on_request(self, ex: Exchange) -> Problem | None:
        split = split_egress_path(self.service.mount, ex.request.path)
        if split is None:
            return None
        principal = ex.principal
        if principal is None:
            return UNAUTHENTICATED.problem("egress requires an authenticated caller",
                                           headers=(("www-authenticate", "Bearer"),))
        if self.service.authorized_partner(split[0], principal.subject, principal.client_id) is None:
            return FORBIDDEN.problem("this caller may not use that partner")
        ex.notes[self.name] = {"partner": split[0]}
        return None
