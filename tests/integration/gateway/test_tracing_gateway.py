"""Integration: OpenTelemetry tracing through a real gateway — spans exported over OTLP/HTTP to a real
loopback collector that decodes the protobuf with the official classes; the span tree, attributes and
parent/child ids; the upstream receiving the gateway's ``traceparent``; malformed parents ignored;
and no span objects at all when tracing is not configured."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream
from bastion.tracing import spans as spans_module
from bastion.webapp.app import AppRequest, AppResponse, Router
from conftest import BASE_CONFIG

pytestmark = pytest.mark.integration

TRACE = "0af7651916cd43dd8448eb211c80319c"
PARENT_SPAN = "b7ad6b7169203331"
ROUTE = """\
  - id: orders
    match: {path: "/orders/{order_id}"}
    upstream: up
    public: true
    policies:
      - rate_limit: {key: ip, rate: 2/hour, burst: 2}
      - cors: {origins: ["https://app.example"], methods: [GET]}
"""
TRACING = """\
tracing:
  otlp_endpoint: "http://127.0.0.1:{otlp}/v1/traces"
  service_name: edge
  flush_interval: 50ms
  headers: {{authorization: "${{env:OTLP_TEST_AUTH}}"}}
"""


class Collector:
    """A real OTLP/HTTP receiver on loopback: decodes every export request."""

    def __init__(self, lt: LoopThread) -> None:
        self.requests: list[ExportTraceServiceRequest] = []
        self.auth: list[str] = []
        router = Router()
        router.add("POST", "/v1/traces", self.receive)
        self.server = RecordingUpstream(lt, router).start()

    async def receive(self, req: AppRequest) -> AppResponse:
        msg = ExportTraceServiceRequest()
        msg.ParseFromString(req.body)
        self.requests.append(msg)
        self.auth.append(req.headers.get("authorization") or "")
        return AppResponse(200, [("content-type", "application/x-protobuf")], b"")

    def spans(self) -> list[tuple[Any, Span]]:
        return [(rs.resource, s) for m in self.requests for rs in m.resource_spans for ss in rs.scope_spans
                for s in ss.spans]

    def wait_for_servers(self, n: int) -> list[Span]:
        for _ in range(500):  # bounded polling for the exporter thread; no timing assertion
            servers = [s for _, s in self.spans() if s.kind == Span.SPAN_KIND_SERVER]
            if len(servers) >= n:
                return servers
            time.sleep(0.02)
        raise AssertionError(f"expected {n} server spans, got {len(self.spans())} spans")


@pytest.fixture
def collector(lt: LoopThread) -> Iterator[Collector]:
    c = Collector(lt)
    yield c
    c.server.stop()


def _attrs(span: Span) -> dict[str, Any]:
    return {a.key: getattr(a.value, a.value.WhichOneof("value")) for a in span.attributes}


def _children(span: Span, spans: list[Span]) -> list[Span]:
    return sorted((s for s in spans if s.parent_span_id == span.span_id and s.trace_id == span.trace_id),
                  key=lambda s: s.start_time_unix_nano)


def test_spans_reach_the_collector_and_the_upstream_continues_the_trace(
        make_gateway: Callable[[str], GatewayThread], upstream: RecordingUpstream, collector: Collector,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTLP_TEST_AUTH", "Bearer collector-token")
    text = BASE_CONFIG.format(port=upstream.port, extra=TRACING.format(otlp=collector.server.port)).replace(
        "routes:\n", "routes:\n" + ROUTE)
    gw = make_gateway(text)
    base = f"http://127.0.0.1:{gw.port}"
    common = {"origin": "https://app.example", "authorization": "Bearer user-s3cr3t", "cookie": "sid=s3cr3t"}
    ok = httpx.get(f"{base}/orders/42?access_token=s3cr3t", headers={
        **common, "traceparent": f"00-{TRACE}-{PARENT_SPAN}-01", "tracestate": "congo=t61rcWkgMzE"})
    assert ok.status_code == 200
    junk = httpx.get(f"{base}/orders/43", headers={**common, "traceparent": f"00-{TRACE}-zzzz-01"})
    assert junk.status_code == 200  # a malformed traceparent is ignored, never an error
    limited = httpx.get(f"{base}/orders/44", headers=common)
    assert limited.status_code == 429

    servers = collector.wait_for_servers(3)
    everything = [s for _, s in collector.spans()]
    first, second, third = sorted(servers, key=lambda s: s.start_time_unix_nano)

    # 1: the caller's trace continued; one span per policy hook and the upstream call, all children
    assert first.trace_id.hex() == TRACE and first.parent_span_id.hex() == PARENT_SPAN
    assert first.name == "GET /orders/{order_id}" and first.trace_state == "congo=t61rcWkgMzE"
    attrs = _attrs(first)
    assert attrs["http.request.method"] == "GET" and attrs["http.route"] == "/orders/{order_id}"
    assert attrs["http.response.status_code"] == 200 and attrs["bastion.route"] == "orders"
    assert attrs["client.address"] == "127.0.0.1" and attrs["server.address"] == "127.0.0.1"
    kids = _children(first, everything)
    assert [(k.name, _attrs(k).get("bastion.policy.phase")) for k in kids] == [
        ("policy rate_limit", "request"), ("policy cors", "request"), ("GET", None), ("policy cors", "response"),
        ("policy rate_limit", "response")]  # response hooks unwind in reverse
    assert all(_attrs(k).get("bastion.policy.decision", "allow") == "allow" for k in kids)
    client = kids[2]
    assert client.kind == Span.SPAN_KIND_CLIENT and _attrs(client)["http.response.status_code"] == 200
    assert _attrs(client)["server.port"] == upstream.port
    assert all(first.start_time_unix_nano <= k.start_time_unix_nano <= k.end_time_unix_nano
               <= first.end_time_unix_nano for k in kids)
    seen = upstream.requests[0].headers
    assert seen.get("traceparent") == f"00-{TRACE}-{client.span_id.hex()}-01"
    assert seen.get("tracestate") == "congo=t61rcWkgMzE"

    # 2: a malformed parent starts a new root trace
    assert second.trace_id.hex() != TRACE and second.parent_span_id == b""
    assert (upstream.requests[1].headers.get("traceparent") or "").startswith(f"00-{second.trace_id.hex()}-")

    # 3: the rate limit's denial, with its problem type; nothing forwarded, so no client span
    (denied,) = _children(third, everything)
    assert _attrs(denied)["bastion.policy.decision"] == "deny"
    assert _attrs(denied)["bastion.problem.type"].endswith("/rate-limited")
    assert _attrs(third)["http.response.status_code"] == 429

    resource = {a.key: a.value.string_value for a in collector.spans()[0][0].attributes}
    assert resource["service.name"] == "edge"
    assert set(collector.auth) == {"Bearer collector-token"}
    dumped = b"".join(m.SerializeToString() for m in collector.requests)
    for leaked in (b"s3cr3t", b"access_token", b"/orders/42", b"sid="):
        assert leaked not in dumped


def test_without_tracing_no_span_object_is_created_and_traceparent_passes_through(
        make_gateway: Callable[[str], GatewayThread], upstream: RecordingUpstream,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_spans(*args: object, **kwargs: object) -> None:
        raise AssertionError("a span object was created without tracing")

    monkeypatch.setattr(spans_module.RequestTrace, "__init__", no_spans)
    gw = make_gateway(BASE_CONFIG.format(port=upstream.port, extra=""))
    assert gw.server.gateway is not None and gw.server.gateway.tracer is None
    parent = f"00-{TRACE}-{PARENT_SPAN}-01"
    r = httpx.get(f"http://127.0.0.1:{gw.port}/items", headers={"traceparent": parent})
    assert r.status_code == 200
    assert upstream.requests[0].headers.get("traceparent") == parent
