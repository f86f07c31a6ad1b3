"""API4 ReDoS: string inputs whose processing time explodes with a crafted value of bounded size.

The classic catastrophic-backtracking input (a run of word characters ending in a character no pattern
expects) is sent at two lengths, 16 and 25. Linear code answers both alike; exponential backtracking
multiplies the time by hundreds. A finding needs the long input to take over 0.8 s and over five
times the short one, twice in a row.
"""

from __future__ import annotations

from typing import ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, send
from bastion.scanner.probes.base import report
from bastion.scanner.probes.points import inject, points

SHORT, LONG = 16, 25
THRESHOLD = 0.8


def crafted(length: int) -> str:
    return "a" * length + "!"


class RedosProbe:
    id: ClassVar[str] = "redos"
    phase: ClassVar[int] = 4

    def run(self, ctx: ScanContext) -> Flow:
        for point in points(ctx, strings_only=True):
            if point.location not in ("query", "json", "header"):
                continue
            short = yield from send(inject(point, crafted(SHORT)))
            request = inject(point, crafted(LONG))
            long = yield from send(request)
            if long.elapsed < THRESHOLD or long.elapsed < 5 * short.elapsed:
                continue
            again = yield from send(request)
            if again.elapsed >= THRESHOLD:
                report(ctx, "resource.redos", f"The {point.label} takes {long.elapsed:.1f} s for a "
                       f"{LONG + 1}-character crafted value and {short.elapsed * 1000:.0f} ms for a "
                       f"{SHORT + 1}-character one.", request, long)
