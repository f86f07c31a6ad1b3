"""Unit: the engine drives probes over an injected transport (httpx.MockTransport), with its guard rails."""

from __future__ import annotations

from typing import ClassVar

import httpx
import pytest
from scanner_support import context

from bastion.scanner.context import ScanContext
from bastion.scanner.engine import ScanEngine
from bastion.scanner.messages import Flow, ProbeRequest, ProbeResponse, send


class Scripted:
    """A probe that sends fixed requests and keeps the replies."""

    id: ClassVar[str] = "scripted"
    phase: ClassVar[int] = 1

    def __init__(self, *requests: ProbeRequest) -> None:
        self.requests = requests
        self.replies: list[ProbeResponse] = []

    def run(self, ctx: ScanContext) -> Flow:
        for request in self.requests:
            reply = yield from send(request)
            self.replies.append(reply)


async def _run(ctx: ScanContext, handler: httpx.MockTransport, probe: Scripted, **kw: object) -> ScanEngine:
    async with ScanEngine(ctx, transport=handler, canary=False, rate=1000, **kw) as engine:  # type: ignore[arg-type]
        await engine.run([probe])
    return engine


@pytest.mark.anyio
async def test_redirects_are_returned_not_followed() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"location": "https://elsewhere.example/steal"})

    probe = Scripted(ProbeRequest("GET", "/a"))
    await _run(context(), httpx.MockTransport(handler), probe)
    assert seen == ["http://api.test/a"]
    assert probe.replies[0].status == 302


@pytest.mark.anyio
async def test_unsafe_method_is_refused_before_the_transport() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(200)

    ctx = context()
    ctx.allow_unsafe = False
    probe = Scripted(ProbeRequest("DELETE", "/orders/1"), ProbeRequest("GET", "/orders/1"))
    engine = await _run(ctx, httpx.MockTransport(handler), probe)
    assert seen == ["GET"]
    assert probe.replies[0].blocked.startswith("unsafe method")
    assert engine.refusals == {"unsafe method (use --allow-unsafe-methods)": 1}


@pytest.mark.anyio
async def test_identity_headers_are_added_and_exchanges_logged() -> None:
    auth: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        auth.append(request.headers.get("authorization"))
        return httpx.Response(200, json={"id": 7})

    ctx = context(a="token-a")
    await _run(ctx, httpx.MockTransport(handler), Scripted(ProbeRequest("GET", "/me", identity="a"),
                                                          ProbeRequest("GET", "/me")))
    assert auth == ["Bearer token-a", None]
    assert [e.response.status for e in ctx.log] == [200, 200]


@pytest.mark.anyio
async def test_budget_stops_the_probe() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(200)

    probe = Scripted(*[ProbeRequest("GET", f"/{i}") for i in range(10)])
    await _run(context(), httpx.MockTransport(handler), probe, max_requests=3)
    assert calls == 3
    assert len(probe.replies) == 3  # the probe is closed at the fourth request instead of being answered


class Broken:
    id: ClassVar[str] = "broken"
    phase: ClassVar[int] = 1

    def run(self, ctx: ScanContext) -> Flow:
        yield ProbeRequest("GET", "/a")
        raise KeyError("surprise")


@pytest.mark.anyio
async def test_a_failing_probe_is_recorded_and_the_others_still_run() -> None:
    probe = Scripted(ProbeRequest("GET", "/b"))
    async with ScanEngine(context(), transport=httpx.MockTransport(lambda r: httpx.Response(200)),
                          canary=False, rate=1000) as engine:
        await engine.run([Broken(), probe])
    assert engine.errors == {"broken": "KeyError"}
    assert probe.replies[0].status == 200


@pytest.mark.anyio
async def test_a_connection_closed_without_an_answer_is_retried_once_on_a_fresh_one() -> None:
    """A target that drops a kept-alive connection (often right after a request made it fail) gives no
    answer: the request goes once more, so the probe sees the real status, not 0."""
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) == 1:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return httpx.Response(404)

    probe = Scripted(ProbeRequest("GET", "/b"))
    await _run(context(), httpx.MockTransport(handler), probe)
    assert calls == ["/b", "/b"]
    assert probe.replies[0].status == 404


@pytest.mark.anyio
async def test_a_target_that_keeps_dropping_the_connection_is_reported_not_retried_forever() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        raise httpx.ReadError("connection reset", request=request)

    probe = Scripted(ProbeRequest("GET", "/c"))
    await _run(context(), httpx.MockTransport(handler), probe)
    assert calls == ["/c", "/c"]
    assert probe.replies[0].status == 0 and probe.replies[0].blocked == "ReadError"
