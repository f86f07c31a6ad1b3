"""API8 CORS and TRACE: an arbitrary origin reflected (worst with credentials), TRACE echoing requests.

CORS: a baseline request is replayed with ``Origin: https://evil.bastion-scan.test`` and as a
preflight; the origin (or ``null``) coming back in ``Access-Control-Allow-Origin`` is a finding, high
with ``Access-Control-Allow-Credentials: true``. TRACE (only with unsafe methods allowed, as it is
not GET/HEAD/OPTIONS): a 200 that echoes the request line is a finding.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from bastion.findings.model import Severity
from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, ProbeRequest, send
from bastion.scanner.probes.base import report

EVIL = "https://evil.bastion-scan.test"


class CorsProbe:
    id: ClassVar[str] = "cors"
    phase: ClassVar[int] = 1

    def run(self, ctx: ScanContext) -> Flow:
        bases = [b for (label, ident), b in ctx.baselines.items() if ident in ("a", "anon")][:2]
        pairs = [(base, origin) for base in bases for origin in (EVIL, "null")]
        for base, origin in pairs:
            request = replace(base.request, headers=(*base.request.headers, ("Origin", origin)), purpose="probe")
            response = yield from send(request)
            allowed = response.header("access-control-allow-origin")
            if allowed in (origin,) or (allowed == "*" and origin == EVIL and base.request.identity):
                creds = (response.header("access-control-allow-credentials") or "").lower() == "true"
                report(ctx, "misconfig.cors-reflection",
                       f"{base.request.operation} allows origin {origin!r}"
                       + (" with credentials." if creds else "."), request, response,
                       severity=Severity.HIGH if creds else Severity.MEDIUM, operation="CORS policy")
                break
        if ctx.allow_unsafe and bases:
            request = ProbeRequest("TRACE", bases[0].request.path, headers=(("X-Bastion-Trace", "echo"),))
            response = yield from send(request)
            if response.status == 200 and "x-bastion-trace" in response.text.lower():
                report(ctx, "misconfig.trace-enabled", "TRACE is enabled and echoes the request.", request,
                       response, operation="TRACE")
