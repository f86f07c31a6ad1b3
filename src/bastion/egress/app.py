"""The egress app: ``<mount>/<partner>/<path>`` served as an internal upstream (``url: internal:egress``).

It trusts no header but the caller assertion of the ``egress`` policy (see ``assertion.py``), checks
again that the caller may use the partner, refuses unsafe paths and query strings, and hands the
call to ``EgressService``. Unknown partners and forbidden ones get the same 403, so callers cannot
enumerate partners.
"""

from __future__ import annotations

import re

from bastion.egress.assertion import CALLER_HEADER, read_assertion
from bastion.egress.service import EgressService
from bastion.http.paths import PathError, encode_path, normalize_path
from bastion.http.problem import BAD_REQUEST, FORBIDDEN, NOT_FOUND, UNAUTHENTICATED
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
        caller = read_assertion(self.service.assertion_key, request.headers.get(CALLER_HEADER),
                                request.method, request.path, self.service.clock.now())
        if caller is None:
            return problem_response(UNAUTHENTICATED.problem("egress requires an authenticated caller"), request_id)
        partner = self.service.authorized_partner(name, *caller)
        if partner is None:
            return problem_response(FORBIDDEN.problem("this caller may not use that partner"), request_id)
        try:
            safe = normalize_path(rest)
        except PathError:
            safe = ""
        if safe != rest or not _QUERY_OK.match(request.query_string):
            return problem_response(BAD_REQUEST.problem("unsafe path or query for egress"), request_id)
        result = await self.service.call(partner, subject=caller[0], method=request.method, path=encode_path(rest),
                                         query=request.query_string, headers=request.headers, body=request.body,
                                         request_id=request_id)
        return AppResponse(result.status, result.headers, result.body)


def split_egress_path(mount: str, path: str) -> tuple[str, str] | None:
    """``/egress/payments/v1/charges`` → ``("payments", "/v1/charges")``; ``None`` outside the mount."""
    prefix = mount + "/"
    if not path.startswith(prefix):
        return None
    name, slash, rest = path[len(prefix):].partition("/")
    if not name:
        return None
    return name, slash + rest if slash else "/"
