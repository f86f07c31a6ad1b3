"""The scan engine: the only part of the scanner that does I/O.

It drives the probes' generators (``httpx/_auth.py`` style): each ``ProbeRequest`` a probe yields is
checked by the ``Guard`` (same origin, safe methods unless allowed, budget), paced by the ``RateCap``,
sent without following redirects, logged on the context and sent back into the generator. Canary
polls and TLS handshakes are answered here too. ``transport`` is injectable (an
``httpx.AsyncBaseTransport``) so tests can run the engine against an in-process app.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import warnings
from collections.abc import Callable, Sequence

import httpx

from bastion.scanner import identities
from bastion.scanner.canary import Canary
from bastion.scanner.context import ScanContext
from bastion.scanner.messages import (
    CanaryHits,
    CanaryPoll,
    Offline,
    OfflineResult,
    ProbeRequest,
    ProbeResponse,
    Reply,
    Step,
    TlsCheck,
    TlsReport,
)
from bastion.scanner.probes.base import Probe
from bastion.scanner.probes.jwt_forge import expires_soon
from bastion.scanner.safety import Guard, RateCap, Refused

NO_RETRY = ("burst", "attempt", "login")
Progress = Callable[[int, int, str], None]


class ScanEngine:
    def __init__(self, ctx: ScanContext, *, transport: httpx.AsyncBaseTransport | None = None,
                 max_requests: int = 5000, rate: float = 50.0, concurrency: int = 4, timeout: float = 10.0,
                 canary: bool = True, progress: Progress | None = None, verify: bool = True) -> None:
        self.ctx = ctx
        self.guard = Guard(httpx.URL(ctx.target), ctx.allow_unsafe, max_requests)
        self.rate = RateCap(rate)
        self.concurrency = concurrency
        self.timeout = timeout
        self.progress = progress
        self.client = httpx.AsyncClient(transport=transport, follow_redirects=False, timeout=timeout,
                                        verify=verify, trust_env=False)
        self.canary = Canary() if canary else None
        self.refusals: dict[str, int] = {}
        self.throttled: set[str] = set()
        self.errors: dict[str, str] = {}
        """Probe id -> the exception type that stopped it (the rest of the scan goes on)."""
        self._login_lock = asyncio.Lock()
        self.relogins = 0
        """How many times an identity logged in again because its token expired."""
        self.timings: dict[str, float] = {}
        """Seconds each probe ran (probes of one phase overlap)."""

    async def __aenter__(self) -> ScanEngine:
        if self.canary is not None:
            await self.canary.start()
            self.ctx.canary_url = self.canary.url
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()
        if self.canary is not None:
            await self.canary.stop()

    async def run(self, probes: Sequence[Probe]) -> None:
        for phase in sorted({p.phase for p in probes}):
            group = [p for p in probes if p.phase == phase]
            limit = asyncio.Semaphore(self.concurrency)

            async def drive(probe: Probe, limit: asyncio.Semaphore = limit) -> None:
                async with limit:
                    await self.drive(probe)

            await asyncio.gather(*(drive(p) for p in group))

    async def drive(self, probe: Probe) -> None:
        started = time.perf_counter()
        try:
            await self._drive(probe)
        except Exception as exc:  # one broken check must not cost the whole report
            self.errors[probe.id] = type(exc).__name__
        finally:
            self.timings[probe.id] = round(time.perf_counter() - started, 2)

    async def _drive(self, probe: Probe) -> None:
        flow = probe.run(self.ctx)
        reply: Reply | None = None
        try:
            while True:
                step = flow.send(reply) if reply is not None else next(flow)
                reply = await self.answer(step, probe.id)
                if isinstance(reply, ProbeResponse) and reply.blocked == "request budget exhausted":
                    flow.close()
                    return
        except StopIteration:
            return

    async def answer(self, step: Step, probe_id: str = "") -> Reply:
        if isinstance(step, CanaryPoll):
            if self.canary is None:
                return CanaryHits()
            return CanaryHits(await self.canary.hits(step.token, step.wait))
        if isinstance(step, TlsCheck):
            return await self.handshake(step)
        if isinstance(step, Offline):
            return OfflineResult(await asyncio.to_thread(step.work))
        return await self.send(step, probe_id)

    async def send(self, request: ProbeRequest, probe_id: str = "") -> ProbeResponse:
        if request.identity:
            await self._refresh(request.identity)
        try:
            url = self.guard.url_for(request)
            self.guard.admit(request)
        except Refused as exc:
            self.refusals[exc.reason] = self.refusals.get(exc.reason, 0) + 1
            return ProbeResponse(0, blocked=exc.reason)
        response = await self._exchange(request, url)
        if response.status == 429 and self._may_retry(request):
            retry_after = response.header("retry-after") or "1"
            await asyncio.sleep(min(float(retry_after) if retry_after.isdigit() else 1.0, 2.0))
            self.guard.sent += 1
            response = await self._exchange(request, url)
            if response.status == 429:
                self.throttled.add(request.path)
        self.ctx.record(request, response)
        if self.progress is not None:
            self.progress(self.guard.sent, self.guard.max_requests, probe_id)
        return response

    async def _refresh(self, name: str) -> None:
        """Log ``name`` in again when its JWT expires within 2 s (short-lived tokens outlive no scan)."""
        identity = self.ctx.identities.get(name)
        if identity is None or identity.flow is None or not expires_soon(identity.token, time.time() + 2):
            return
        async with self._login_lock:
            identity = self.ctx.identities[name]
            if identity.flow is None or not expires_soon(identity.token, time.time() + 2):
                return  # another probe renewed it while this one waited
            try:
                self.ctx.identities[name] = await identities.login(name, identity.flow, self.send)
            except identities.LoginError:
                identity.flow = None  # keep the old token; do not try again on every request
            self.relogins += 1

    def _may_retry(self, request: ProbeRequest) -> bool:
        """Retry a 429 once, unless the probe wants to see it or this path stayed limited before."""
        return (request.purpose not in NO_RETRY and request.path not in self.throttled
                and self.guard.sent < self.guard.max_requests)

    async def _exchange(self, request: ProbeRequest, url: httpx.URL) -> ProbeResponse:
        headers = list(request.headers)
        identity = self.ctx.identities.get(request.identity or "")
        if identity is not None:
            names = {k.lower() for k, _ in headers}
            headers += [(k, v) for k, v in identity.headers if k.lower() not in names]
        content = request.content()
        if request.json is not None and not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("content-type", "application/json"))
        await self.rate.wait()
        started = time.perf_counter()
        try:
            try:
                resp = await self.client.request(request.method, url, headers=headers, content=content or None,
                                                 timeout=request.timeout or self.timeout)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                # a kept-alive connection the target closed (often right after a request made it fail): no
                # answer came back, so the request is sent once more on a fresh connection, as browsers do
                started = time.perf_counter()
                resp = await self.client.request(request.method, url, headers=headers, content=content or None,
                                                 timeout=request.timeout or self.timeout)
        except httpx.TimeoutException:
            return ProbeResponse(0, elapsed=time.perf_counter() - started, blocked="timeout")
        except httpx.HTTPError as exc:
            return ProbeResponse(0, elapsed=time.perf_counter() - started, blocked=type(exc).__name__)
        return ProbeResponse(resp.status_code, tuple(resp.headers.items()), resp.content[:1_048_576],
                             time.perf_counter() - started)

    async def handshake(self, step: TlsCheck) -> TlsReport:
        target = self.guard.target
        if target.scheme != "https":
            return TlsReport(False, verify_error="not https")
        context = ssl.create_default_context()
        if step.max_version:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            with warnings.catch_warnings():  # asking for TLS 1.0/1.1 on purpose: is the server still offering it?
                warnings.simplefilter("ignore", DeprecationWarning)
                context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
                context.maximum_version = getattr(ssl.TLSVersion, step.max_version)
            context.set_ciphers("ALL:@SECLEVEL=0")
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection(target.host, target.port or 443, ssl=context,
                                        server_hostname=target.host), self.timeout)
        except ssl.SSLCertVerificationError as exc:
            return TlsReport(False, verify_error=exc.verify_message or "certificate verification failed")
        except (OSError, TimeoutError, ssl.SSLError):
            return TlsReport(False)
        sslobj = writer.get_extra_info("ssl_object")
        cipher = writer.get_extra_info("cipher") or ("", "", 0)
        report = TlsReport(True, version=sslobj.version() if sslobj else "", cipher=str(cipher[0]))
        writer.close()
        return report
