"""Bearer-token extraction (RFC 6750 §2) and the authentication problems shared by the token policies.

One token, from one place: exactly one ``Authorization: Bearer <token68>`` header by default. A second
Authorization header, or a header plus a query token, is ``invalid_request`` (400). A token in the
query string is refused unless the route allows it explicitly (it leaks into logs and Referer headers).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Mode, PolicyConfig
from bastion.errors import SecurityWarning
from bastion.http.problem import BAD_REQUEST, INSUFFICIENT_SCOPE, UNAUTHENTICATED, Problem

_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
QUERY_PARAM = "access_token"


class BearerConfig(PolicyConfig):
    """What the bearer-token policies (``jwt``, ``introspection``) share."""

    issuer: str
    """Name of an entry in the top-level ``issuers:`` section; only that issuer is trusted."""
    scopes: list[str] = []
    """Scopes the token must carry (exact match; a scope that merely contains another does not count)."""
    scopes_mode: Literal["all", "any"] = "all"
    allow_query: bool = False
    """Accept ``?access_token=`` (RFC 6750 §2.3). Off: query tokens leak into logs and Referer headers."""
    cache_entries: Annotated[int, Field(ge=1, le=1_000_000)] = 10000


def warn_if_report_only(name: str, config: PolicyConfig) -> None:
    """Authentication or authorization in ``report`` mode lets every request through: say so loudly."""
    if config.mode is Mode.REPORT:
        warnings.warn(f"{name} is in report mode: requests it would reject are forwarded", SecurityWarning,
                      stacklevel=3)
    if getattr(config, "allow_query", False):
        warnings.warn(f"{name} accepts credentials in the query string, where logs and Referer headers keep "
                      "them", SecurityWarning, stacklevel=3)


@dataclass(frozen=True, slots=True)
class BearerSource:
    header: str = "authorization"
    scheme: str = "bearer"
    allow_query: bool = False
    max_bytes: int = 8192
    check_charset: bool = True
    """Check the RFC 6750 token68 alphabet; the jwt policy's strict JWS parser checks it anyway."""


class BearerRejected(Exception):
    def __init__(self, problem: Problem, reason: str) -> None:
        self.problem = problem
        self.reason = reason
        super().__init__(reason)


def invalid_token(detail: str = "The access token is missing or invalid.") -> Problem:
    return UNAUTHENTICATED.problem(detail, headers=(("www-authenticate", 'Bearer error="invalid_token"'),))


def invalid_request(detail: str) -> Problem:
    return BAD_REQUEST.problem(detail, headers=(("www-authenticate", 'Bearer error="invalid_request"'),))


def insufficient_scope(scopes: list[str]) -> Problem:
    scope = " ".join(s for s in scopes if '"' not in s and "\\" not in s)
    value = f'Bearer error="insufficient_scope", scope="{scope}"'
    return INSUFFICIENT_SCOPE.problem("The access token lacks a required scope.",
                                      headers=(("www-authenticate", value),))


def extract_bearer(ex: Exchange, source: BearerSource) -> str:
    """Return the one bearer token of this request, or raise BearerRejected."""
    values = ex.request.headers.get_all(source.header)
    query = [v for k, v in ex.request.query if k == QUERY_PARAM] if ex.request.query_string else []
    if len(values) > 1:
        raise BearerRejected(invalid_request("More than one credential was sent."), "duplicate header")
    if query and (values or len(query) > 1):
        raise BearerRejected(invalid_request("More than one credential was sent."), "several token locations")
    if query and not source.allow_query:
        problem = invalid_token("Access tokens are not accepted in the query string.")
        raise BearerRejected(problem, "query token")
    if query:
        token = query[0]
    elif values:
        scheme, _, token = values[0].partition(" ")
        if source.scheme and scheme.lower() != source.scheme:
            raise BearerRejected(invalid_token(), "wrong scheme")
        if not source.scheme:
            token = values[0]
    else:
        raise BearerRejected(invalid_token(), "missing token")
    if len(token) > source.max_bytes:
        raise BearerRejected(invalid_token(), "token too large")
    if not token or (source.check_charset and not _TOKEN68.fullmatch(token)):
        raise BearerRejected(invalid_token(), "malformed token")
    return token


def bearer_or_problem(ex: Exchange, source: BearerSource, policy: str) -> str | Problem:
    """The request's bearer token, or the problem to answer with (its reason noted for the audit event)."""
    try:
        return extract_bearer(ex, source)
    except BearerRejected as exc:
        ex.notes[policy] = {"reason": exc.reason}
        return exc.problem
