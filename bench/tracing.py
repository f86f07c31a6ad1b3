"""What tracing costs per request, in-process (no sockets): bastion's spans against the OpenTelemetry SDK.

The same span tree both ways — a SERVER span continuing a caller's ``traceparent``, four policy spans,
a CLIENT span with ``traceparent`` injected — and then the OTLP protobuf encoding of those spans
(which runs in the exporter's thread, but on the same GIL). CPU µs, best of 5.

    python -m bench.tracing

The SDK half runs when ``opentelemetry-sdk`` and ``opentelemetry-exporter-otlp-proto-http`` are installed.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, ClassVar

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.chain.runner import CompiledChain
from bastion.http.messages import ResponseHead
from bastion.http.problem import Problem
from bastion.testing.exchange import make_exchange
from bastion.tracing.otlp import SpanRecord, encode_request
from bastion.tracing.spans import Tracer

N = 5000
PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
POLICIES = ("jwt", "rate_limit", "validate", "waf")


class Allow(Policy):
    name: ClassVar[str] = "allow"

    def __init__(self, name: str) -> None:
        super().__init__(PolicyConfig(), PolicyDeps())
        self.name = name  # type: ignore[misc]

    async def on_request(self, ex: Exchange) -> Problem | None:
        return None


def _exchanges() -> list[Exchange]:
    return [make_exchange("GET", "/orders/1", route_id="get-order", template="/orders/{order_id}",
                          client_ip="10.0.0.1", headers=[("traceparent", PARENT)]) for _ in range(50)]


async def _bastion(traced: bool, sink: list[SpanRecord]) -> float:
    chain = CompiledChain([Allow(n) for n in POLICIES])
    tracer = Tracer(sink.extend, 1.0)
    exs = _exchanges()
    start = time.process_time()
    for i in range(N):
        ex = exs[i % len(exs)]
        ex.trace = tracer.start(ex) if traced else None
        await chain.run_request(ex)
        if ex.trace is not None:
            ex.trace.upstream_started(ex.forward_headers, "orders", "https://orders.internal:8443")
            ex.trace.upstream_finished("GET", 200)
        ex.response = ResponseHead(200)
        await chain.run_response(ex, len(POLICIES))
        if ex.trace is not None:
            ex.trace.finish(ex)
        if len(sink) > 4096:
            sink.clear()  # as the exporter drains its queue
    return (time.process_time() - start) / N


def bastion() -> tuple[float, float]:
    sink: list[SpanRecord] = []
    base = min(asyncio.run(_bastion(False, sink)) for _ in range(5))
    traced = min(asyncio.run(_bastion(True, sink)) for _ in range(5))
    spans: list[SpanRecord] = []
    asyncio.run(_bastion(True, spans))
    batch = spans[:3000]
    encode = float("inf")
    for _ in range(5):
        start = time.process_time()
        for i in range(0, len(batch), 512):
            encode_request(batch[i:i + 512], (("service.name", "bastion"),), "bastion", "0.1.0")
        encode = min(encode, (time.process_time() - start) / len(batch))
    return traced - base, encode


def sdk() -> tuple[float, float] | None:
    import importlib

    try:  # optional: not a dependency of bastion
        trace: Any = importlib.import_module("opentelemetry.trace")
        encoder: Any = importlib.import_module("opentelemetry.exporter.otlp.proto.common.trace_encoder")
        resources: Any = importlib.import_module("opentelemetry.sdk.resources")
        sdk_trace: Any = importlib.import_module("opentelemetry.sdk.trace")
        export: Any = importlib.import_module("opentelemetry.sdk.trace.export")
        in_memory: Any = importlib.import_module("opentelemetry.sdk.trace.export.in_memory_span_exporter")
        tracecontext: Any = importlib.import_module("opentelemetry.trace.propagation.tracecontext")
    except ImportError:
        return None

    def null_export(self: Any, spans: Any) -> Any:
        return export.SpanExportResult.SUCCESS

    null = type("Null", (export.SpanExporter,), {"export": null_export})

    def provider(processor: Any) -> Any:
        tp = sdk_trace.TracerProvider(resource=resources.Resource.create({"service.name": "bastion"}))
        tp.add_span_processor(processor)
        return tp.get_tracer("bastion")

    prop = tracecontext.TraceContextTextMapPropagator()
    carrier = {"traceparent": PARENT}

    def one(tracer: Any) -> None:
        with tracer.start_as_current_span("GET /orders/{order_id}", context=prop.extract(carrier),
                                          kind=trace.SpanKind.SERVER, attributes={
                                              "http.request.method": "GET", "http.route": "/orders/{order_id}",
                                              "client.address": "10.0.0.1", "bastion.route": "get-order"}) as server:
            for p in POLICIES:
                with tracer.start_as_current_span("policy " + p) as s:
                    s.set_attribute("bastion.policy.decision", "allow")
            with tracer.start_as_current_span("GET", kind=trace.SpanKind.CLIENT, attributes={
                    "http.request.method": "GET", "server.address": "orders.internal"}) as c:
                prop.inject({})
                c.set_attribute("http.response.status_code", 200)
            server.set_attribute("http.response.status_code", 200)

    hot = provider(export.BatchSpanProcessor(null(), max_queue_size=4096, schedule_delay_millis=50))
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(N):
            one(hot)
        best = min(best, (time.process_time() - start) / N)
    memory = in_memory.InMemorySpanExporter()
    recording = provider(export.SimpleSpanProcessor(memory))
    for _ in range(500):
        one(recording)
    spans = memory.get_finished_spans()
    start = time.process_time()
    encoder.encode_spans(spans).SerializeToString()
    return best, (time.process_time() - start) / len(spans)


def main() -> None:
    ours, ours_encode = bastion()
    print(f"bastion spans:   +{ours * 1e6:6.1f} µs per request on the loop (6 spans), "
          f"OTLP encoding {ours_encode * 1e6:5.1f} µs per span")
    theirs = sdk()
    if theirs is None:
        print("OpenTelemetry SDK: not installed (pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http)")
        return
    print(f"OpenTelemetry SDK: +{theirs[0] * 1e6:6.1f} µs per request (6 spans), "
          f"OTLP encoding {theirs[1] * 1e6:5.1f} µs per span")


if __name__ == "__main__":
    main()
