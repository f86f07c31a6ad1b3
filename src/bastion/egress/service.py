"""The egress service: one partner call from an authorised caller, end to end.

``EgressService.call`` forwards only an allow-list of caller headers (so any credential a caller sends
is dropped by construction), applies the partner's request field allow-list and size limit, injects
the partner credential, retries once on 401 with fresh credentials, validates the answer with the
partner's ``ResponseGuard`` and returns it with an allow-list of response headers. Failures become
RFC 9457 problems naming the partner and nothing else; the reason goes to the audit record.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import orjson

from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.egress.audit import AuditSink, EgressRecord, audit_log, log_sink, pii_counts
from bastion.egress.client import Origin, PartnerClient
from bastion.egress.contract import Contract, Declared
from bastion.egress.errors import EgressError, PartnerTimeout, ResponseRejected
from bastion.egress.injection import Injector
from bastion.errors import UpstreamError
from bastion.http.problem import (
    NOT_FOUND,
    PAYLOAD_TOO_LARGE,
    REQUEST_INVALID,
    UPSTREAM_INVALID,
    UPSTREAM_TIMEOUT,
    UPSTREAM_UNAVAILABLE,
    Problem,
    ProblemType,
)
from bastion.validation.body import MAX_DEPTH, nested_deeper

log = logging.getLogger("bastion.egress")

PARTNER_REJECTED = ProblemType("partner-rejected", "Partner rejected the request", 400)
FORWARD_REQUEST_HEADERS = frozenset({
    "accept", "accept-language", "content-type", "idempotency-key", "if-match", "if-none-match",
    "if-modified-since", "if-unmodified-since", "traceparent", "tracestate",
})
"""Caller headers a partner receives. ``x-request-id`` is the gateway's own, added by ``call``."""
FORWARD_RESPONSE_HEADERS = frozenset({
    "content-type", "cache-control", "etag", "last-modified", "expires", "retry-after", "content-language",
})


@dataclass(slots=True)
class Partner:
    name: str
    base_url: str
    client: PartnerClient
    injector: Injector
    contract: Contract
    callers: frozenset[str]
    allow_fields: frozenset[str] | None = None
    max_request_bytes: int = 1 << 20
    max_response_bytes: int = 1 << 20
    tls_factory: Callable[[], Awaitable[ssl.SSLContext]] | None = field(default=None, repr=False)
    """Rebuilds the TLS context from the current secret versions (client-certificate rotation)."""
    needs_client_key: bool = False
    origin: Origin = field(init=False, repr=False)
    base_path: str = field(init=False, repr=False)
    """``base_url``'s path, without a trailing slash: the partner path is appended to it."""

    def __post_init__(self) -> None:
        self.origin = Origin.of(self.base_url)
        self.base_path = urlsplit(self.base_url).path.rstrip("/")

    def allows(self, subject: str, client_id: str | None) -> bool:
        return subject in self.callers or (client_id is not None and client_id in self.callers)


class EgressResult(NamedTuple):
    """What the caller receives (a tuple, as the gateway's in-process hop returns it)."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


class EgressService:
    def __init__(self, partners: dict[str, Partner], *, audit: AuditSink | None = None,
                 clock: Clock = SYSTEM_CLOCK, mount: str = "/egress", dataflow: Any = None) -> None:
        self.partners = partners
        self.dataflow = dataflow
        """A ``dataflow.FlowRecorder``: PII categories sent to each partner, for the Art. 30 inventory."""
        self.audit = audit if audit is not None else log_sink
        self.clock = clock
        self.mount = mount.rstrip("/")

    def __repr__(self) -> str:
        return f"<EgressService partners={sorted(self.partners)}>"

    async def reload_tls(self, name: str) -> None:
        """Rotate a partner's client certificate: new connections use the new key, calls in flight finish."""
        partner = self.partners[name]
        if partner.tls_factory is not None:
            partner.client.replace_tls(await partner.tls_factory())

    def authorized_partner(self, name: str, subject: str, client_id: str | None) -> Partner | None:
        """The partner when this caller may use it; ``None`` for unknown partners too (no enumeration)."""
        partner = self.partners.get(name)
        return partner if partner is not None and partner.allows(subject, client_id) else None

    async def aclose(self) -> None:
        for partner in self.partners.values():
            await partner.client.aclose()

    async def call(self, partner: Partner, subject: str, method: str, path: str, query: str,
                   headers: Iterable[tuple[str, str]], body: bytes, request_id: str = "") -> EgressResult:
        """``headers``: the caller's (only ``FORWARD_REQUEST_HEADERS`` are sent on); ``request_id`` goes to
        the partner as ``x-request-id``."""
        # What the audit record says is kept in locals and the record is built at the end, only when a sink
        # or the audit logger takes it (with the default sink and the logger quiet, nobody reads it).
        audited = self.audit is not log_sink or audit_log.isEnabledFor(logging.INFO)
        started = self.clock.monotonic() if audited else 0.0
        declared: Declared | None = None
        outcome, reason, credential_kind, credential_version, retried = "ok", "", "none", "-", False
        partner_status: int | None = None
        bytes_sent = bytes_received = request_removed = response_removed = 0
        try:  # (one coroutine from here to the pool: each level costs on the call and again on the resume)
            if body:
                body, request_removed = self._request_body(partner, body)
                bytes_sent = len(body)
            declared = partner.contract.find(method, path)
            if declared is None:
                raise _ProblemExit(NOT_FOUND.problem(f"partner {partner.name!r} has no such operation"),
                                   "operation-not-declared", f"{method} {path} is not in the partner's contract")
            target = partner.base_path + path + (f"?{query}" if query else "")
            base = []
            for h in headers:  # (a loop, not a comprehension: no function object and frame made per call)
                if h[0] in FORWARD_REQUEST_HEADERS:
                    base.append(h)
            if request_id:
                base.append(("x-request-id", request_id))
            injector = partner.injector
            injected = injector.ready() or await injector.inject(method, target, body)
            credential_kind, credential_version = injector.kind, injected.version
            limit = partner.max_response_bytes
            client, origin = partner.client, partner.origin
            lines = injected.lines
            if lines is None:
                lines = injected.lines = client.credential_lines(injected.headers)
            resp = await client.call(method, origin, target, base, body, limit, lines)
            status = resp.status
            if status == 401:
                fresh = await injector.after_unauthorized(injected, method, target, body)
                if fresh is not None:
                    retried, credential_version = True, fresh.version
                    if fresh.lines is None:
                        fresh.lines = client.credential_lines(fresh.headers)
                    resp = await client.call(method, origin, target, base, body, limit, fresh.lines)
                    status = resp.status
            partner_status, data = status, resp.body
            bytes_received = len(data)
            # the answer (inline: a method call per egress call less)
            if status in (401, 407) or status >= 500:
                again = " after a retry with fresh credentials" if retried else ""
                raise _ProblemExit(UPSTREAM_UNAVAILABLE.problem(f"partner {partner.name!r} is unavailable"),
                                   "partner-error", f"partner answered {status}{again}")
            if 400 <= status < 500:
                raise _ProblemExit(PARTNER_REJECTED.problem(f"partner {partner.name!r} answered {status}",
                                                            status=status),
                                   "partner-rejected", f"partner answered {status}")
            out_headers = []
            for h in resp.headers:
                if h[0] in FORWARD_RESPONSE_HEADERS:
                    out_headers.append(h)
            if status in (204, 304) or method == "HEAD" or (not data and status != 200):
                result = _result(EgressResult, (status, out_headers, b""))
            else:
                guard = declared.guard(status)
                if guard is None:
                    raise ResponseRejected(f"partner {partner.name}: status {status} is not declared for "
                                           f"{declared.label}")
                if guard.passes_through:  # unvalidated by configuration: the partner's bytes and content type
                    result = _result(EgressResult, (status, out_headers, data))
                else:
                    data, response_removed = guard.check(resp.header("content-type"), data)
                    out_headers = [("content-type", "application/json"),
                                   *[h for h in out_headers if h[0] != "content-type"]]
                    result = _result(EgressResult, (status, out_headers, data))
        except _ProblemExit as stop:
            outcome, reason = stop.outcome, stop.reason
            result = _problem(stop.problem, request_id)
        except EgressError as exc:
            outcome, reason = exc.code, str(exc)
            kind = UPSTREAM_INVALID if isinstance(exc, ResponseRejected) else UPSTREAM_UNAVAILABLE
            verb = "sent a response that failed validation" if kind is UPSTREAM_INVALID else "is unavailable"
            result = _problem(kind.problem(f"partner {partner.name!r} {verb}"), request_id)
        except PartnerTimeout as exc:
            outcome, reason = exc.code, str(exc)
            result = _problem(UPSTREAM_TIMEOUT.problem(f"partner {partner.name!r} did not answer in time"),
                              request_id)
        except UpstreamError as exc:
            outcome, reason = "partner-unreachable", str(exc)
            result = _problem(UPSTREAM_UNAVAILABLE.problem(f"partner {partner.name!r} is unavailable"), request_id)
        pii: dict[str, int] | None = None
        dataflow = self.dataflow
        if dataflow is not None and declared is not None and partner_status is not None:  # reached the partner
            # the data-flow inventory: the call counted, and the PII categories its body sends, sampled as the
            # recorder samples every flow (``dataflow.scans_per_second`` bodies per operation and second, each
            # standing for the calls since the last one). A scanned call's audit record names the categories;
            # the others say ``pii_sent: null`` (not scanned), never a guess. Flows are per declared operation
            # (its template), not per concrete path: the inventory stays bounded whatever ids callers use.
            operation = declared.label
            weight = dataflow.observe("egress", operation, partner.name, "request")
            if not body:
                pii = {}
            elif weight:
                pii = pii_counts(body)
                dataflow.record_categories("egress", operation, partner.name, "request", pii, weight)
        if audited:  # (positional: keyword arguments to the slotted record's __init__ cost twice as much)
            rec = EgressRecord(request_id, subject, partner.name, f"{method} {path}", started, result[0],
                               partner_status, bytes_sent, bytes_received, credential_kind, credential_version,
                               retried, request_removed, response_removed, pii, outcome, reason,
                               self.clock.monotonic() - started)
            try:
                await self.audit(rec.to_dict())
            except Exception:
                log.exception("egress audit sink failed")
        return result

    def _request_body(self, partner: Partner, body: bytes) -> tuple[bytes, int]:
        """The body to send and the number of undeclared fields removed from it."""
        if len(body) > partner.max_request_bytes:
            raise _ProblemExit(PAYLOAD_TOO_LARGE.problem(f"request to partner {partner.name!r} is too large"))
        if partner.allow_fields is None:
            return body, 0
        try:
            doc = orjson.loads(body)
        except orjson.JSONDecodeError:
            doc = None
        if not isinstance(doc, dict):
            raise _ProblemExit(REQUEST_INVALID.problem(f"partner {partner.name!r} accepts JSON objects only"))
        if nested_deeper(body):  # the kept members are written again; orjson writes at most 254 levels
            raise _ProblemExit(REQUEST_INVALID.problem(f"JSON nesting deeper than {MAX_DEPTH}"))
        kept = {k: v for k, v in doc.items() if k in partner.allow_fields}
        return orjson.dumps(kept), len(doc) - len(kept)


_result = tuple.__new__
"""``EgressResult`` made without its Python-level ``__new__`` (one frame less per call)."""


def _problem(problem: Problem, request_id: str) -> EgressResult:
    hdrs = [("content-type", "application/problem+json"), *problem.headers]
    return _result(EgressResult, (problem.status, hdrs, problem.body(request_id or None)))


class _ProblemExit(Exception):
    def __init__(self, problem: Problem, outcome: str = "refused", reason: str = "") -> None:
        self.problem = problem
        self.outcome = outcome
        """The audit record's outcome: ``refused`` unless the call got further."""
        self.reason = reason
