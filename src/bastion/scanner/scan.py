"""One scan end to end: load the spec, log in, run the probes, and fill a ``Report``.

The report is filled as findings are confirmed, so a caller that interrupts the scan (Ctrl-C) still
holds every finding so far and can render it.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bastion.findings.model import Report
from bastion.scanner import identities
from bastion.scanner.context import ScanContext
from bastion.scanner.engine import Progress, ScanEngine
from bastion.scanner.probes import select
from bastion.scanner.spec import load_operations, server_base_path, target_with_base


@dataclass(slots=True)
class ScanOptions:
    spec: Path
    target: str
    auth: list[str] = field(default_factory=list)
    auth_b: list[str] = field(default_factory=list)
    admin_auth: list[str] = field(default_factory=list)
    login_flow: Path | None = None
    checks: list[str] | None = None
    max_requests: int = 5000
    rate: float = 50.0
    allow_unsafe: bool = False
    concurrency: int = 4
    timeout: float = 10.0
    verify_tls: bool = True
    seed: str | None = None
    """Varies the values create requests send; a new random one when None (the report records it)."""


def new_report(options: ScanOptions) -> Report:
    return Report(tool="bastion-scan", target=options.target)


async def run_scan(options: ScanOptions, report: Report, *, transport: httpx.AsyncBaseTransport | None = None,
                   progress: Progress | None = None) -> Report:
    probes = select(options.checks)
    target = target_with_base(options.target, server_base_path(options.spec))
    ctx = ScanContext(load_operations(options.spec), target=target, allow_unsafe=options.allow_unsafe,
                      target_scheme=httpx.URL(target).scheme, findings=report.findings,
                      seed=options.seed or secrets.token_hex(4))
    for name, headers in (("a", options.auth), ("b", options.auth_b), ("admin", options.admin_auth)):
        identity = identities.from_headers(name, headers)
        if identity is not None:
            ctx.identities[name] = identity
    started = time.perf_counter()
    report.stats.update(operations=len(ctx.operations), checks=[p.id for p in probes], base_url=target,
                        seed=ctx.seed)
    async with ScanEngine(ctx, transport=transport, max_requests=options.max_requests, rate=options.rate,
                          concurrency=options.concurrency, timeout=options.timeout, progress=progress,
                          verify=options.verify_tls) as engine:
        try:
            if options.login_flow is not None:
                for name, spec in identities.load_flow(options.login_flow).items():
                    ctx.identities[name] = await identities.login(name, spec, engine.send)
            report.stats["identities"] = sorted(ctx.identities)
            await engine.run(probes)
        finally:
            report.stats.update(requests=engine.guard.sent, seconds=round(time.perf_counter() - started, 2),
                                refused=dict(engine.refusals), relogins=engine.relogins,
                                probe_seconds=dict(engine.timings), probe_errors=dict(engine.errors))
    return report
