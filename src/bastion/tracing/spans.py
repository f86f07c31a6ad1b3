"""Spans for one request: a SERVER span, a child per policy hook that ran, a CLIENT span for the upstream.

``Tracer.start(ex)`` is called by the engine only when tracing is configured; it continues the caller's
trace when its ``traceparent`` is valid (and follows its sampled flag), else starts a new one sampled
at ``sample_ratio``. The returned ``RequestTrace`` rides on ``ex.trace``: the chain runner reports each
policy hook to it, the engine opens and closes the upstream call (which also writes ``traceparent``
and ``tracestate`` into the upstream request), and ``finish(ex)`` closes the server span and hands the
request's spans to the exporter's queue in one call. An unsampled request records nothing but still
propagates its context upstream.

Attributes follow the OpenTelemetry HTTP semantic conventions and carry no token, cookie, header
value, query string, body or raw path: the route *template* stands for the path.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bastion.chain.policy import Mode, Policy
from bastion.http.headers import MutableHeaders
from bastion.http.problem import Problem
from bastion.tracing.otlp import KIND_CLIENT, KIND_INTERNAL, KIND_SERVER, STATUS_ERROR, Attributes, SpanRecord
from bastion.tracing.propagation import Parent, clean_tracestate, format_traceparent, parse_traceparent

if TYPE_CHECKING:
    from bastion.chain.exchange import Exchange

SpanSink = Callable[[list[SpanRecord]], None]
_BASE_HOOKS = {"request": Policy.on_request, "response": Policy.on_response}


def _overrides(policy: Policy, phase: str) -> bool:
    return getattr(type(policy), "on_" + phase) is not _BASE_HOOKS[phase]


def _policy_attributes(name: str, phase: str, problem_type: str | None, status: int,
                       report: bool) -> tuple[str, Attributes]:
    if problem_type == "error":
        decision = "error"
    elif problem_type is None:
        decision = "allow"
    elif report:
        decision = "report"
    else:
        decision = "deny" if status >= 400 else "respond"
    attrs: Attributes = (("bastion.policy.name", name), ("bastion.policy.phase", phase),
                         ("bastion.policy.decision", decision))
    if problem_type is not None and problem_type != "error":
        attrs += (("bastion.problem.type", problem_type), ("bastion.problem.status", status))
    return f"policy {name}", attrs


class Tracer:
    def __init__(self, sink: SpanSink, sample_ratio: float = 1.0, *, clock_ns: Callable[[], int] = time.time_ns,
                 rng: random.Random | None = None) -> None:
        self.sink, self.clock_ns = sink, clock_ns
        self.bound = int(sample_ratio * (1 << 64))
        """Root sampling: a trace is kept when the low 64 bits of its id are below this."""
        self._bits = (rng or random.Random()).getrandbits
        self._upstreams: dict[tuple[str, str], Attributes] = {}
        self.policy_attributes: dict[tuple[str, str, str | None, int, bool], tuple[str, Attributes]] = {}
        """Span name and attributes per policy outcome, built once (bounded by the config's policies)."""

    def start(self, ex: Exchange) -> RequestTrace:
        parents: list[str] = []
        states: list[str] = []
        for k, v in ex.request.headers:
            if k == "traceparent":
                parents.append(v)
            elif k == "tracestate":
                states.append(v)
        parent = parse_traceparent(parents) if parents else None
        if parent is not None:
            trace_id, sampled = parent.trace_id, parent.sampled
            state = clean_tracestate(states) if states else ""
        else:
            trace_id = self._bits(128) or 1
            sampled, state = (trace_id & 0xFFFFFFFFFFFFFFFF) < self.bound, ""
        trace = RequestTrace(self, trace_id, self._bits(64) or 1, parent, sampled, state, self.clock_ns())
        trace.inbound = bool(parents), bool(states)
        return trace

    def new_span_id(self) -> int:
        return self._bits(64) or 1

    def upstream_attributes(self, name: str, url: str) -> Attributes:
        """``server.address``, ``server.port``, ``url.scheme`` and ``bastion.upstream``, parsed once per upstream."""
        key = (name, url)
        attrs = self._upstreams.get(key)
        if attrs is None:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            attrs = self._upstreams[key] = (("server.address", parts.hostname or ""), ("server.port", port),
                                            ("url.scheme", parts.scheme), ("bastion.upstream", name))
        return attrs


class RequestTrace:
    """The spans of one request, recorded as plain tuples; nothing is built when it is not sampled."""

    __slots__ = ("children", "client", "inbound", "parent", "sampled", "span_id", "start_ns", "state", "trace_id",
                 "tracer")

    def __init__(self, tracer: Tracer, trace_id: int, span_id: int, parent: Parent | None, sampled: bool,
                 state: str, start_ns: int) -> None:
        self.tracer, self.trace_id, self.span_id, self.parent = tracer, trace_id, span_id, parent
        self.sampled, self.state, self.start_ns = sampled, state, start_ns
        self.children: list[SpanRecord] = []
        self.client: tuple[int, int, Attributes] | None = None
        """The open upstream call: span id, start, attributes."""
        self.inbound = (True, True)
        """Whether the request carried ``traceparent`` and ``tracestate`` (the headers to replace)."""

    def clock(self) -> int:
        return self.tracer.clock_ns()

    def policy_span(self, policy: Policy, phase: str, started: int, problem: Problem | None,
                    error: bool = False) -> None:
        """A policy hook ran from ``started`` until now (``error``: it raised). Response hooks a policy does
        not override are not recorded."""
        if not self.sampled or (phase != "request" and not _overrides(policy, phase)):
            return
        key = (policy.name, phase, "error" if error else None if problem is None else problem.type,
               problem.status if problem is not None else 0, policy.mode is Mode.REPORT)
        named = self.tracer.policy_attributes.get(key)
        if named is None:
            named = self.tracer.policy_attributes[key] = _policy_attributes(*key)
        tracer = self.tracer
        self.children.append(SpanRecord(self.trace_id, tracer.new_span_id(), self.span_id, named[0], KIND_INTERNAL,
                                        started, tracer.clock_ns(), named[1], STATUS_ERROR if error else 0,
                                        self.state))

    def upstream_started(self, headers: MutableHeaders, upstream: str, url: str) -> None:
        """Open the CLIENT span and put this request's context into the upstream request's headers."""
        span_id = self.span_id
        if self.sampled:
            span_id = self.tracer.new_span_id()
            self.client = (span_id, self.tracer.clock_ns(), self.tracer.upstream_attributes(upstream, url))
        had_parent, had_state = self.inbound
        value = format_traceparent(self.trace_id, span_id, self.sampled)
        if had_parent:
            headers.set("traceparent", value)
        else:
            headers.add("traceparent", value)
        if self.state:
            headers.set("tracestate", self.state)
        elif had_state:
            headers.remove("tracestate")

    def upstream_finished(self, method: str, outcome: int | str) -> None:
        """Close the CLIENT span: ``outcome`` is the upstream's status, or why there is none (``timeout``…)."""
        if self.client is None:
            return
        span_id, started, attrs = self.client
        self.client = None
        attrs = (("http.request.method", method), *attrs)
        if isinstance(outcome, int):
            attrs += (("http.response.status_code", outcome),)
        failed = not isinstance(outcome, int) or outcome >= 400
        if failed:
            attrs += (("error.type", str(outcome)),)
        self.children.append(SpanRecord(self.trace_id, span_id, self.span_id, method, KIND_CLIENT, started,
                                        self.tracer.clock_ns(), attrs, STATUS_ERROR if failed else 0, self.state))

    def finish(self, ex: Exchange) -> None:
        """Close the server span and hand every span of the request to the exporter."""
        if not self.sampled:
            return
        req, route = ex.request, ex.route
        status = ex.response.status if ex.response is not None else 0
        host, _, port = req.host.rpartition(":") if req.host.rfind(":") > req.host.rfind("]") else (req.host, "", "")
        host = host.strip("[]")
        template = route.template
        attrs: Attributes = (
            ("http.request.method", req.method), ("http.route", template), ("url.scheme", req.scheme),
            ("server.address", host[:255]), ("client.address", req.client_ip),
            ("network.protocol.version", req.http_version), ("bastion.route", route.route_id),
            ("bastion.request_id", ex.request_id), ("http.response.status_code", status),
        )
        if port.isdigit():
            attrs += (("server.port", int(port)),)
        error = status >= 500 or status == 0
        if error:
            attrs += (("error.type", str(status) if status else "incomplete"),)
        parent = self.parent
        server = SpanRecord(self.trace_id, self.span_id, parent.span_id if parent else 0,
                            f"{req.method} {template}" if template else req.method, KIND_SERVER, self.start_ns,
                            self.tracer.clock_ns(), attrs, STATUS_ERROR if error else 0, self.state, parent is not None)
        self.children.append(server)
        self.tracer.sink(self.children)
