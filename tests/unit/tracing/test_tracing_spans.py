"""Unit: a request's spans through the real chain runner with a fake nanosecond clock — one span per
policy hook with its decision and problem type, sampling (ratio for new traces, the caller's flag for
continued ones), propagation when unsampled, and attributes that never carry the raw path, query
string or credentials."""

from __future__ import annotations

import random
from typing import ClassVar

import pytest

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Mode, Policy, PolicyConfig, PolicyDeps
from bastion.chain.runner import CompiledChain
from bastion.http.messages import ResponseHead
from bastion.http.problem import FORBIDDEN, RATE_LIMITED, Problem
from bastion.testing.exchange import make_exchange
from bastion.tracing.otlp import KIND_CLIENT, KIND_INTERNAL, KIND_SERVER, STATUS_ERROR, SpanRecord
from bastion.tracing.spans import Tracer

pytestmark = pytest.mark.anyio
PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class Step(Policy):
    name: ClassVar[str] = "step"

    def __init__(self, name: str, problem: Problem | None = None, mode: Mode = Mode.ENFORCE,
                 fail: bool = False) -> None:
        super().__init__(PolicyConfig(mode=mode), PolicyDeps())
        self.name, self.problem, self.fail = name, problem, fail  # type: ignore[misc]

    async def on_request(self, ex: Exchange) -> Problem | None:
        if self.fail:
            raise RuntimeError("boom")
        return self.problem


class Decorating(Step):
    async def on_response(self, ex: Exchange) -> Problem | None:
        return None


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000_000_000_000

    def __call__(self) -> int:
        self.t += 1000
        return self.t


def _tracer(ratio: float = 1.0) -> tuple[Tracer, list[SpanRecord]]:
    out: list[SpanRecord] = []
    return Tracer(out.extend, ratio, clock_ns=Clock(), rng=random.Random(7)), out


def _exchange(*headers: tuple[str, str]) -> Exchange:
    return make_exchange("GET", "/orders/42", query="access_token=s3cr3t&email=a@b.example", route_id="get-order",
                         template="/orders/{order_id}", params={"order_id": "42"}, client_ip="203.0.113.9",
                         headers=[("host", "api.example.test:8443"), ("authorization", "Bearer s3cr3t"),
                                  ("cookie", "sid=s3cr3t"), *headers])


async def _run(tracer: Tracer, ex: Exchange, chain: CompiledChain, status: int = 200) -> None:
    ex.trace = tracer.start(ex)
    problem, entered = await chain.run_request(ex)
    if problem is None:
        ex.trace.upstream_started(ex.forward_headers, "orders", "https://orders.internal:9443/api")
        ex.trace.upstream_finished("GET", status)
    ex.response = ResponseHead(problem.status if problem else status)
    await chain.run_response(ex, entered)
    ex.trace.finish(ex)


async def test_span_tree_of_a_forwarded_request() -> None:
    tracer, spans = _tracer()
    ex = _exchange()
    await _run(tracer, ex, CompiledChain([Step("jwt"), Decorating("cors"), Step("waf", FORBIDDEN.problem("x"),
                                                                             mode=Mode.REPORT)]))
    server = spans[-1]
    assert server.kind == KIND_SERVER and server.name == "GET /orders/{order_id}" and server.parent_id == 0
    attrs = dict(server.attributes)
    assert attrs == {"http.request.method": "GET", "http.route": "/orders/{order_id}", "url.scheme": "https",
                     "server.address": "api.example.test", "server.port": 8443, "client.address": "203.0.113.9",
                     "network.protocol.version": "1.1", "bastion.route": "get-order",
                     "bastion.request_id": ex.request_id, "http.response.status_code": 200}
    children = spans[:-1]
    assert all(s.trace_id == server.trace_id and s.parent_id == server.span_id for s in children)
    assert len({s.span_id for s in spans}) == len(spans)
    names = [(s.name, dict(s.attributes).get("bastion.policy.phase")) for s in children]
    assert names == [("policy jwt", "request"), ("policy cors", "request"), ("policy waf", "request"),
                     ("GET", None), ("policy cors", "response")]  # jwt and waf don't override on_response
    waf = dict(children[2].attributes)
    assert waf["bastion.policy.decision"] == "report" and waf["bastion.problem.type"] == FORBIDDEN.uri
    assert all(s.kind == KIND_INTERNAL and s.start_ns < s.end_ns for s in children if s.name != "GET")
    client = children[3]
    assert client.kind == KIND_CLIENT and dict(client.attributes) == {
        "http.request.method": "GET", "server.address": "orders.internal", "server.port": 9443,
        "url.scheme": "https", "bastion.upstream": "orders", "http.response.status_code": 200}
    assert ex.forward_headers.get("traceparent") == \
        f"00-{server.trace_id:032x}-{client.span_id:016x}-01"
    text = repr(spans)
    for leaked in ("s3cr3t", "a@b.example", "/orders/42", "access_token"):
        assert leaked not in text


async def test_denial_and_error_spans_carry_the_decision() -> None:
    tracer, spans = _tracer()
    await _run(tracer, _exchange(), CompiledChain([Step("rate_limit", RATE_LIMITED.problem())]))
    (policy, server) = spans
    assert dict(policy.attributes)["bastion.policy.decision"] == "deny"
    assert dict(policy.attributes)["bastion.problem.type"] == RATE_LIMITED.uri
    assert dict(server.attributes)["http.response.status_code"] == 429 and server.status == 0
    tracer, spans = _tracer()
    await _run(tracer, _exchange(), CompiledChain([Step("buggy", fail=True)]))
    (policy, server) = spans
    assert dict(policy.attributes)["bastion.policy.decision"] == "error" and policy.status == STATUS_ERROR
    assert server.status == STATUS_ERROR and dict(server.attributes)["error.type"] == "500"


async def test_upstream_failure_marks_the_client_span() -> None:
    tracer, spans = _tracer()
    ex = _exchange()
    ex.trace = tracer.start(ex)
    ex.trace.upstream_started(ex.forward_headers, "orders", "http://10.0.0.5")
    ex.trace.upstream_finished("GET", "timeout")
    ex.response = ResponseHead(504)
    ex.trace.finish(ex)
    client, _ = spans
    assert client.status == STATUS_ERROR and dict(client.attributes)["error.type"] == "timeout"
    assert dict(client.attributes)["server.port"] == 80


async def test_a_valid_parent_is_continued_with_its_tracestate() -> None:
    tracer, spans = _tracer(ratio=0.0)  # the caller's sampled flag wins over the ratio
    ex = _exchange(("traceparent", PARENT), ("tracestate", "congo=t61rcWkgMzE"))
    await _run(tracer, ex, CompiledChain([Step("jwt")]))
    server = spans[-1]
    assert server.trace_id == 0x0AF7651916CD43DD8448EB211C80319C and server.parent_id == 0xB7AD6B7169203331
    assert server.remote_parent and server.trace_state == "congo=t61rcWkgMzE"
    assert ex.forward_headers.get("tracestate") == "congo=t61rcWkgMzE"


@pytest.mark.parametrize("bad", ["00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01", "junk"])
async def test_a_malformed_parent_starts_a_new_trace_and_drops_its_tracestate(bad: str) -> None:
    tracer, spans = _tracer()
    ex = _exchange(("traceparent", bad), ("tracestate", "congo=t61rcWkgMzE"))
    await _run(tracer, ex, CompiledChain([]))
    server = spans[-1]
    assert server.parent_id == 0 and not server.remote_parent and server.trace_state == ""
    assert "tracestate" not in ex.forward_headers
    assert (ex.forward_headers.get("traceparent") or "").startswith(f"00-{server.trace_id:032x}-")


async def test_unsampled_requests_record_nothing_but_still_propagate() -> None:
    tracer, spans = _tracer(ratio=0.0)
    ex = _exchange()
    await _run(tracer, ex, CompiledChain([Step("jwt")]))
    assert spans == []
    value = ex.forward_headers.get("traceparent") or ""
    assert value.startswith("00-") and value.endswith("-00")
    tracer, spans = _tracer(ratio=1.0)
    ex = _exchange(("traceparent", PARENT[:-2] + "00"))  # the caller decided not to sample
    await _run(tracer, ex, CompiledChain([]))
    assert spans == [] and (ex.forward_headers.get("traceparent") or "").startswith(PARENT[:36])


def test_sample_ratio_keeps_about_that_share_of_new_traces() -> None:
    tracer, _ = _tracer(ratio=0.25)
    kept = sum(tracer.start(_exchange()).sampled for _ in range(4000))
    assert 800 < kept < 1200
