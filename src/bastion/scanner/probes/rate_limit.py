"""API4 rate limiting: a bounded burst at the scan's rate cap must meet a 429.

One cheap operation (a secured GET that answered, else a public one; never a GET named like an action,
such as ``/createdb``) receives 60 requests in a row.
No 429 (and no 503 with Retry-After) among them is a finding.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, send
from bastion.scanner.probes.base import report

BURST = 60


class RateLimitProbe:
    id: ClassVar[str] = "rate-limit"
    phase: ClassVar[int] = 6

    def run(self, ctx: ScanContext) -> Flow:
        candidates = [(op, ident) for op in ctx.operations for ident in ("a", "anon")
                      if op.method == "GET" and not op.path_params and not op.acts
                      and (op.label, ident) in ctx.baselines]
        if not candidates:
            return
        op, ident = candidates[0]
        request = replace(ctx.baselines[(op.label, ident)].request, purpose="burst")
        statuses: list[int] = []
        last = None
        for _ in range(BURST):
            last = yield from send(request)
            statuses.append(last.status)
            if last.status == 429 or (last.status == 503 and last.header("retry-after")):
                return
            if last.status == 0:
                return
        report(ctx, "resource.no-rate-limit", f"{BURST} requests in a row to {op.label} all answered "
               f"({sorted(set(statuses))}); none was limited.", request, last, operation=op.label)
