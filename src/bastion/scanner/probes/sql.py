"""SQL injection at every point, three ways: error based, boolean based, time based (bounded).

Error: a quote makes a database error message appear. Boolean: two different always-true conditions
give the same answer, and an always-false one a different answer. Time: a sleep of 3 s delays the
answer by at least 2.5 s and a sleep of 0 does not. The first technique that confirms ends the point.
"""

from __future__ import annotations

from typing import ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, ProbeResponse, send
from bastion.scanner.payloads import wordlist
from bastion.scanner.probes.base import report
from bastion.scanner.probes.points import Point, delayed, inject, points

TIME_PAYLOADS = ("' AND SLEEP({n})-- -", "'; SELECT pg_sleep({n})--", "'; WAITFOR DELAY '0:0:{n}'--",
                 " AND SLEEP({n})", ";SELECT pg_sleep({n})")
SLEEP = 3


def sql_error(response: ProbeResponse) -> str | None:
    text = response.text.lower()
    return next((s for s in wordlist("sql_errors") if s in text), None)


def normalised(response: ProbeResponse, payload: str) -> tuple[int, str]:
    text = response.text.replace(payload, "").replace(payload.replace("'", "\\'"), "")
    return response.status, text


class SqlInjectionProbe:
    id: ClassVar[str] = "sql-injection"
    phase: ClassVar[int] = 2

    def run(self, ctx: ScanContext) -> Flow:
        for point in points(ctx):
            base = yield from send(inject(point, point.value))
            if base.status == 0:
                continue
            found = yield from self._error(ctx, point, base)
            if not found:
                found = yield from self._boolean(ctx, point)
            if not found:
                yield from self._time(ctx, point, base)

    def _error(self, ctx: ScanContext, point: Point, base: ProbeResponse) -> Flow:
        if sql_error(base):
            return False
        for suffix in ("'", "\""):
            request = inject(point, f"{point.value}{suffix}")
            response = yield from send(request)
            signature = sql_error(response)
            if signature:
                report(ctx, "injection.sql", f"SQL injection in the {point.label}: a quote produced a database "
                       f"error ({signature!r}).", request, response, notes="technique: error based")
                return True
        return False

    def _boolean(self, ctx: ScanContext, point: Point) -> Flow:
        value = str(point.value)
        for true1, true2, false in ((f"{value}' OR '1'='1", f"{value}' OR 'b'='b", f"{value}' AND '1'='2"),
                                    (f"{value} OR 1=1", f"{value} OR 2=2", f"{value} AND 1=2")):
            answers = []
            for payload in (true1, true2, false):
                response = yield from send(inject(point, payload))
                answers.append((response, normalised(response, payload)))
            (r1, n1), (r2, n2), (rf, nf) = answers
            if r1.ok and r2.ok and n1 == n2 and n1 != nf and rf.status < 500 and rf.status != 0:
                report(ctx, "injection.sql", f"SQL injection in the {point.label}: always-true conditions "
                       f"answer alike and an always-false one differently.", inject(point, true1), r1,
                       notes=f"technique: boolean based; false condition answered {rf.status}")
                return True
        return False

    def _time(self, ctx: ScanContext, point: Point, base: ProbeResponse) -> Flow:
        for template in TIME_PAYLOADS:
            found = yield from delayed(point, base, template, SLEEP)
            if found is not None:
                request, slow = found
                report(ctx, "injection.sql", f"SQL injection in the {point.label}: a {SLEEP} s sleep delayed "
                       f"the answer by {slow.elapsed - base.elapsed:.1f} s.", request, slow,
                       notes="technique: time based")
                return True
        return False
