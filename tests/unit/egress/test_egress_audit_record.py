"""Unit: the egress audit record — one per call whenever audit is on (a sink, or the audit logger at INFO),
with every field, whatever the outcome; none is built when nobody reads it. The partner is a stub."""

from __future__ import annotations

import logging
from typing import Any

import orjson
import pytest

from bastion.dataflow.recorder import FlowRecorder
from bastion.egress.audit import audit_log
from bastion.egress.client import Origin, PartnerResponse
from bastion.egress.contract import SchemaContract
from bastion.egress.errors import PartnerUnreachable
from bastion.egress.injection import Injected
from bastion.egress.service import EgressService, Partner
from bastion.egress.validation import ResponseGuard
from bastion.testing.clock import FakeClock

pytestmark = pytest.mark.anyio

OK_BODY = b'{"id":"7"}'


class StubClient:
    """Answers each call with the next of ``answers`` (a response, or an exception to raise)."""

    def __init__(self, clock: FakeClock, *answers: PartnerResponse | Exception) -> None:
        self.clock = clock
        self.answers = list(answers)
        self.sent: list[list[tuple[str, str]]] = []

    def credential_lines(self, headers: list[tuple[str, str]]) -> str:
        return "".join(f"{k}: {v}\r\n" for k, v in headers)

    async def call(self, method: str, origin: Origin, target: str, headers: list[tuple[str, str]], body: bytes,
                   max_bytes: int, prepared: str = "") -> PartnerResponse:
        lines = [tuple(line.split(": ", 1)) for line in prepared.split("\r\n") if line]
        self.sent.append([*headers, *lines])  # type: ignore[list-item]
        self.clock.advance(0.25)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class StubInjector:
    kind = "oauth2"

    def ready(self) -> Injected | None:
        return Injected([("authorization", "Bearer t1")], "v1")

    async def inject(self, method: str, target: str, body: bytes) -> Injected:
        raise AssertionError("the token is cached")

    async def after_unauthorized(self, used: Injected, method: str, target: str, body: bytes) -> Injected | None:
        return Injected([("authorization", "Bearer t2")], "v2")


class Sink(list[dict[str, Any]]):
    async def __call__(self, record: dict[str, Any]) -> None:
        self.append(record)


def _service(clock: FakeClock, *answers: PartnerResponse | Exception, audit: Sink | None = None,
             allow_fields: frozenset[str] | None = None) -> EgressService:
    guard = ResponseGuard("p", None, inspect=False, allow_unvalidated=True)
    partner = Partner("p", "https://api.test/v1", StubClient(clock, *answers), StubInjector(),  # type: ignore[arg-type]
                      SchemaContract(guard), frozenset({"svc"}), allow_fields=allow_fields, max_request_bytes=64)
    return EgressService({"p": partner}, audit=audit, clock=clock, dataflow=FlowRecorder(None, clock))


async def _call(service: EgressService, method: str = "GET", body: bytes = b"") -> tuple[int, bytes]:
    status, _, data = await service.call(service.partners["p"], subject="svc", method=method, path="/orders/7",
                                         query="", headers=[("accept", "application/json")], body=body,
                                         request_id="r1")
    return status, data


def _ok(status: int = 200, body: bytes = OK_BODY) -> PartnerResponse:
    return PartnerResponse(status, [("content-type", "application/json"), ("server", "x")], body)


async def test_a_successful_call_gives_one_record_with_every_field() -> None:
    clock, sink = FakeClock(), Sink()
    assert await _call(_service(clock, _ok(), audit=sink)) == (200, OK_BODY)
    assert sink == [{
        "event": "egress.call", "request_id": "r1", "caller": "svc", "partner": "p", "operation": "GET /orders/7",
        "status": 200, "partner_status": 200, "bytes_sent": 0, "bytes_received": len(OK_BODY),
        "credential": {"kind": "oauth2", "version": "v1"}, "retried": False,
        "fields_removed": {"request": 0, "response": 0}, "pii_sent": [], "outcome": "ok", "reason": "",
        "duration_ms": 250.0,
    }]


@pytest.mark.parametrize(("answers", "method", "body", "status", "fields"), [
    ((_ok(401, b""), _ok()), "GET", b"", 200,
     {"retried": True, "credential": {"kind": "oauth2", "version": "v2"}, "outcome": "ok", "duration_ms": 500.0}),
    ((_ok(401, b""), _ok(401, b"")), "GET", b"", 502,
     {"retried": True, "partner_status": 401, "outcome": "partner-error",
      "reason": "partner answered 401 after a retry with fresh credentials"}),
    ((_ok(404, b"{}"),), "GET", b"", 404,
     {"partner_status": 404, "outcome": "partner-rejected", "reason": "partner answered 404"}),
    ((PartnerUnreachable("partner p: closed"),), "GET", b"", 502,
     {"partner_status": None, "outcome": "partner-unreachable", "reason": "partner p: closed", "pii_sent": None}),
    ((), "POST", b"x" * 65, 413,
     {"partner_status": None, "bytes_sent": 0, "outcome": "refused", "reason": "", "pii_sent": None,
      "duration_ms": 0.0}),
    ((), "POST", b"[1]", 400, {"partner_status": None, "bytes_sent": 0, "outcome": "refused"}),
    ((_ok(),), "POST", b'{"amount":1,"debug":2}', 200,
     {"bytes_sent": len(b'{"amount":1}'), "fields_removed": {"request": 1, "response": 0}, "pii_sent": []}),
])
async def test_every_call_gives_exactly_one_record_whatever_its_outcome(
    answers: tuple[PartnerResponse | Exception, ...], method: str, body: bytes, status: int, fields: dict[str, Any]
) -> None:
    clock, sink = FakeClock(), Sink()
    service = _service(clock, *answers, audit=sink, allow_fields=frozenset({"amount"}))
    assert (await _call(service, method, body))[0] == status
    assert len(sink) == 1 and sink[0]["status"] == status
    assert {k: sink[0][k] for k in fields} == fields


async def test_a_request_body_nested_past_the_limit_is_refused_not_an_error() -> None:
    """The kept members are written again, and orjson writes at most 254 levels (it reads 1,024): a body nested
    300 deep was an unhandled encoder error. It is refused as nesting deeper than validate's limit."""
    clock, sink = FakeClock(), Sink()
    service = _service(clock, _ok(), audit=sink, allow_fields=frozenset({"amount"}))
    service.partners["p"].max_request_bytes = 4096
    status, data = await _call(service, "POST", b'{"amount":' + b"[" * 300 + b"]" * 300 + b"}")
    assert status == 400 and b"JSON nesting deeper than 64" in data
    assert len(sink) == 1 and sink[0]["outcome"] == "refused" and sink[0]["bytes_sent"] == 0


async def test_the_default_sink_logs_one_line_per_call_when_the_audit_logger_is_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    service = _service(clock, _ok(), _ok(404, b"{}"))
    with caplog.at_level(logging.INFO, logger=audit_log.name):
        await _call(service)
        await _call(service)
    lines = [orjson.loads(r.getMessage()) for r in caplog.records if r.name == audit_log.name]
    assert [(r["status"], r["outcome"]) for r in lines] == [(200, "ok"), (404, "partner-rejected")]
    assert "Bearer" not in caplog.text


async def test_no_record_is_made_when_nobody_reads_it(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Default sink, audit logger quiet: the call is answered and counted, and no record is built."""
    import bastion.egress.service as service_module

    def refuse(*args: object) -> None:
        raise AssertionError("a record nobody reads was built")

    monkeypatch.setattr(service_module, "EgressRecord", refuse)
    clock = FakeClock()
    service = _service(clock, _ok())
    with caplog.at_level(logging.WARNING, logger=audit_log.name):
        assert await _call(service) == (200, OK_BODY)
    assert not [r for r in caplog.records if r.name == audit_log.name]
    assert [(r.category, r.messages) for r in service.dataflow.pending()] == [("*", 1)]
