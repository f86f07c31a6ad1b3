"""API4 unbounded inputs: page sizes without an upper bound, and oversized strings and bodies.

Page size: a page-size parameter set to 1,000,000 must be refused; a 2xx answer is a finding when the
parameter is honoured (``1`` returns at most one item). Oversized: one JSON string field of each write
operation set to 512 KiB must be refused (413/400/422); a 2xx answer is a finding. Operations the
ReDoS check already found slow are left out: a 512 KiB string would hang them (and the target) for good.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, send
from bastion.scanner.probes.base import report
from bastion.scanner.probes.points import inject, points

PAGE_SIZE = re.compile(r"^(limit|page_?size|pagesize|per_?page|size|count|max|max_?results|top|take|first)$", re.I)
HUGE_PAGE = 1_000_000
OVERSIZED = 512 * 1024


def items(data: Any) -> int | None:
    """The length of the list a collection answer carries (top level or its largest list field)."""
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict):
        lists = [len(v) for v in data.values() if isinstance(v, list)]
        return max(lists) if lists else None
    return None


class LimitsProbe:
    id: ClassVar[str] = "input-limits"
    phase: ClassVar[int] = 5

    def run(self, ctx: ScanContext) -> Flow:
        # an operation already shown to stall on crafted input (ReDoS) would stall on a huge one for good
        done: set[str] = {f.location.operation or "" for f in ctx.findings if f.rule_id == "resource.redos"}
        for point in points(ctx):
            op = point.request.operation
            if point.location == "query" and PAGE_SIZE.match(point.name):
                one = yield from send(inject(point, 1))
                huge = yield from send(inject(point, HUGE_PAGE))
                count = items(one.json())
                if one.ok and huge.ok and count is not None and count <= 1:
                    report(ctx, "resource.unbounded-page-size", f"The {point.label} of {op} accepts "
                           f"{HUGE_PAGE:,} (one request can ask for everything).", inject(point, HUGE_PAGE), huge)
            elif point.location == "json" and op not in done:
                done.add(op)
                request = inject(point, "A" * OVERSIZED)
                response = yield from send(request)
                if response.ok:
                    report(ctx, "resource.oversized-input", f"{op} accepted a {OVERSIZED // 1024} KiB string in "
                           f"the {point.label}.", request, response)
