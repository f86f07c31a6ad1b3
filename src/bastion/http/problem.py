"""RFC 9457 problem details: the only shape of error Bastion sends to clients.

Policies build problems from the catalogue (``FORBIDDEN.problem(detail=...)``), never from raw dicts.
``detail`` is for the client: it never contains token contents, claim values, stack traces, upstream
host names or upstream error text. The full reason belongs in the audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

PROBLEM_BASE = "https://bastion.dev/problems/"
CONTENT_TYPE = "application/problem+json"


@dataclass(frozen=True, slots=True)
class ProblemType:
    slug: str
    title: str
    status: int

    @property
    def uri(self) -> str:
        return PROBLEM_BASE + self.slug

    def problem(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        headers: tuple[tuple[str, str], ...] = (),
        **extensions: Any,
    ) -> Problem:
        return Problem(
            type=self.uri,
            title=self.title,
            status=status or self.status,
            detail=detail,
            extensions=extensions,
            headers=headers,
        )


@dataclass(frozen=True, slots=True)
class Problem:
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    headers: tuple[tuple[str, str], ...] = ()
    close: bool = False
    """Close the client connection after sending (framing errors: the stream is no longer trusted)."""

    def to_dict(self, request_id: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if request_id:
            body["instance"] = f"urn:uuid:{request_id}" if _looks_uuid(request_id) else f"urn:request:{request_id}"
            body["request_id"] = request_id
        elif self.instance:
            body["instance"] = self.instance
        for k, v in self.extensions.items():
            if k not in body:
                body[k] = v
        return body

    def body(self, request_id: str | None = None) -> bytes:
        return orjson.dumps(self.to_dict(request_id))

    def with_close(self) -> Problem:
        return Problem(self.type, self.title, self.status, self.detail, self.instance, self.extensions,
                       self.headers, True)


def _looks_uuid(value: str) -> bool:
    return len(value) == 36 and value.count("-") == 4


BAD_REQUEST = ProblemType("bad-request", "Bad Request", 400)
REQUEST_INVALID = ProblemType("request-invalid", "Request failed validation", 400)
UNPROCESSABLE = ProblemType("request-unprocessable", "Request body failed validation", 422)
UNSUPPORTED_MEDIA_TYPE = ProblemType("unsupported-media-type", "Unsupported Media Type", 415)
UNAUTHENTICATED = ProblemType("unauthenticated", "Authentication required", 401)
FORBIDDEN = ProblemType("forbidden", "Forbidden", 403)
INSUFFICIENT_SCOPE = ProblemType("insufficient-scope", "Insufficient scope", 403)
NOT_FOUND = ProblemType("not-found", "Not Found", 404)
METHOD_NOT_ALLOWED = ProblemType("method-not-allowed", "Method Not Allowed", 405)
NOT_ACCEPTABLE = ProblemType("not-acceptable", "Not Acceptable", 406)
REQUEST_TIMEOUT = ProblemType("request-timeout", "Request Timeout", 408)
PAYLOAD_TOO_LARGE = ProblemType("payload-too-large", "Payload Too Large", 413)
URI_TOO_LONG = ProblemType("uri-too-long", "URI Too Long", 414)
HEADERS_TOO_LARGE = ProblemType("headers-too-large", "Request Header Fields Too Large", 431)
RATE_LIMITED = ProblemType("rate-limited", "Too Many Requests", 429)
REQUEST_BLOCKED = ProblemType("request-blocked", "Request blocked by security policy", 403)
INTERNAL_ERROR = ProblemType("internal-error", "Internal gateway error", 500)
NOT_IMPLEMENTED = ProblemType("not-implemented", "Not Implemented", 501)
UPSTREAM_UNAVAILABLE = ProblemType("upstream-unavailable", "Upstream unavailable", 502)
UPSTREAM_INVALID = ProblemType("upstream-response-invalid", "Upstream response rejected", 502)
SERVICE_UNAVAILABLE = ProblemType("service-unavailable", "Service Unavailable", 503)
UPSTREAM_TIMEOUT = ProblemType("upstream-timeout", "Upstream timed out", 504)
