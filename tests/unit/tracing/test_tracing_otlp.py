"""Unit: the hand-written OTLP encoding decodes with the official ``opentelemetry-proto`` classes, and the
exporter batches, retries what OTLP says to retry, drops and counts when full, and drains on stop
(a recording ``Poster`` as the collector; the real socket round trip is in the integration test)."""

from __future__ import annotations

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

from bastion.tracing.exporter import HttpPoster, OtlpExporter
from bastion.tracing.otlp import KIND_CLIENT, KIND_SERVER, STATUS_ERROR, SpanRecord, encode_request


def _span(span_id: int = 2, parent: int = 0, **kw: object) -> SpanRecord:
    fields: dict[str, object] = {
        "trace_id": (1 << 127) | 5, "span_id": span_id, "parent_id": parent, "name": "GET /orders/{id}",
        "kind": KIND_SERVER, "start_ns": 1_800_000_000_000_000_000, "end_ns": 1_800_000_000_002_000_000,
        "attributes": (("http.route", "/orders/{id}"), ("http.response.status_code", 200), ("ok", True),
                       ("ratio", 0.25), ("negative", -3), ("name", "ünïcode")),
        **kw,
    }
    return SpanRecord(**fields)  # type: ignore[arg-type]


def _decode(body: bytes) -> ExportTraceServiceRequest:
    msg = ExportTraceServiceRequest()
    msg.ParseFromString(body)
    return msg


def test_encoded_request_decodes_with_the_official_classes() -> None:
    server = _span(parent=0x1111, remote_parent=True, trace_state="congo=t61")
    client = _span(span_id=3, parent=2, name="GET", kind=KIND_CLIENT, status=STATUS_ERROR, attributes=())
    body = encode_request([server, client], (("service.name", "edge"), ("telemetry.sdk.name", "bastion")),
                          "bastion", "0.1.0")
    msg = _decode(body)
    (rs,) = msg.resource_spans
    assert {a.key: a.value.string_value for a in rs.resource.attributes} == {
        "service.name": "edge", "telemetry.sdk.name": "bastion"}
    (ss,) = rs.scope_spans
    assert (ss.scope.name, ss.scope.version) == ("bastion", "0.1.0")
    s, c = ss.spans
    assert s.trace_id == ((1 << 127) | 5).to_bytes(16, "big") and s.span_id == (2).to_bytes(8, "big")
    assert s.parent_span_id == (0x1111).to_bytes(8, "big") and s.trace_state == "congo=t61"
    assert s.kind == Span.SPAN_KIND_SERVER and s.name == "GET /orders/{id}"
    assert s.end_time_unix_nano - s.start_time_unix_nano == 2_000_000
    attrs = {a.key: a.value for a in s.attributes}
    assert attrs["http.route"].string_value == "/orders/{id}"
    assert attrs["http.response.status_code"].int_value == 200
    assert attrs["ok"].bool_value is True and attrs["ratio"].double_value == 0.25
    assert attrs["negative"].int_value == -3 and attrs["name"].string_value == "ünïcode"
    assert s.flags == 0x301 and s.status.code == Status.STATUS_CODE_UNSET  # sampled, remote parent
    assert c.kind == Span.SPAN_KIND_CLIENT and c.parent_span_id == s.span_id and c.flags == 0x101
    assert c.status.code == Status.STATUS_CODE_ERROR and not c.attributes


class Collector:
    """A ``Poster`` that records decoded requests and answers from a script of statuses."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.bodies: list[ExportTraceServiceRequest] = []
        self.calls = 0

    def __call__(self, body: bytes) -> int:
        self.calls += 1
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 599:
            raise ConnectionResetError("collector went away")
        if status == 200:
            self.bodies.append(_decode(body))
        return status

    def spans(self) -> int:
        return sum(len(ss.spans) for b in self.bodies for rs in b.resource_spans for ss in rs.scope_spans)


def _exporter(collector: Collector, **kw: object) -> OtlpExporter:
    options: dict[str, object] = {"headers": {"authorization": "Bearer otlp-secret"}, "backoff": 0.0,
                                  "poster": collector, "interval": 60.0, **kw}
    return OtlpExporter("http://collector.test/v1/traces", **options)  # type: ignore[arg-type]


def test_stop_exports_everything_queued_in_batches_with_the_configured_headers() -> None:
    collector = Collector()
    exp = _exporter(collector, batch_size=4)
    exp.start()
    for i in range(10):
        exp.submit([_span(span_id=i + 1)])
    exp.stop()
    assert collector.spans() == 10 and exp.exported == 10 and exp.depth == 0
    assert all(len(b.resource_spans[0].scope_spans[0].spans) <= 4 for b in collector.bodies)
    assert "otlp-secret" not in repr(exp)
    poster = HttpPoster("https://collector.test:4318/v1/traces?x=1", {"authorization": "Bearer otlp-secret"}, 5.0)
    assert (poster.host, poster.port, poster.path, poster.https) == ("collector.test", 4318, "/v1/traces?x=1", True)
    assert poster.headers == {"authorization": "Bearer otlp-secret", "content-type": "application/x-protobuf"}


@pytest.mark.parametrize(("statuses", "exported", "failed", "calls"), [
    ([503, 429, 200], 1, 0, 3),     # retryable: retried
    ([599, 200], 1, 0, 2),          # a connection error: retried
    ([503, 503, 503], 0, 1, 3),     # retries exhausted: counted as failed
    ([400], 0, 1, 1),               # not retryable: one attempt
])
def test_retryable_answers_are_retried_and_failures_counted(statuses: list[int], exported: int, failed: int,
                                                            calls: int) -> None:
    collector = Collector(statuses)
    exp = _exporter(collector, retries=2)
    exp.start()
    exp.submit([_span()])
    exp.stop()
    assert (exp.exported, exp.failed, collector.calls) == (exported, failed, calls)


def test_a_full_queue_drops_and_counts_instead_of_blocking() -> None:
    exp = _exporter(Collector(), max_queue=5)  # never started: nothing drains
    exp.submit([_span(span_id=i + 1) for i in range(4)])
    exp.submit([_span(span_id=9), _span(span_id=10)])  # would exceed: the request's spans are dropped
    exp.submit([_span(span_id=11)])
    assert exp.depth == 5 and exp.dropped == 2
