"""OS command injection, time based and bounded: a 2 s sleep in a shell delays the answer.

For each string point the probe appends shell separators with ``sleep 2``; an answer at least 1.8 s
slower than the valid one, confirmed by the same payload with ``sleep 0`` answering quickly, is a
finding. Nothing else is run on the server.
"""

from __future__ import annotations

from typing import ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, send
from bastion.scanner.probes.base import report
from bastion.scanner.probes.points import delayed, inject, points

SEPARATORS = (";sleep {n};", "|sleep {n}", "$(sleep {n})", "`sleep {n}`", "&&sleep {n}&&", "\nsleep {n}\n")
SLEEP = 2


class CommandInjectionProbe:
    id: ClassVar[str] = "command-injection"
    phase: ClassVar[int] = 3

    def run(self, ctx: ScanContext) -> Flow:
        for point in points(ctx, strings_only=True):
            base = yield from send(inject(point, point.value))
            if base.status == 0:
                continue
            for template in SEPARATORS:
                found = yield from delayed(point, base, template, SLEEP)
                if found is not None:
                    request, slow = found
                    report(ctx, "injection.os-command", f"OS command injection in the {point.label}: "
                           f"'sleep {SLEEP}' after a shell separator delayed the answer by "
                           f"{slow.elapsed - base.elapsed:.1f} s.", request, slow)
                    break
