"""NoSQL operator injection: a query operator where a scalar belongs changes what matches.

For each JSON string field and query parameter: a wrong value must fail (not 2xx) while the operator
``{"$ne": <wrong value>}`` (``name[$ne]=`` in a query) succeeds. That turns "wrong password" into
"any password", the classic login bypass.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, send
from bastion.scanner.probes.base import report
from bastion.scanner.probes.points import inject, points

WRONG = "bastion-scan-wrong-value"


class NoSqlInjectionProbe:
    id: ClassVar[str] = "nosql-injection"
    phase: ClassVar[int] = 1

    def run(self, ctx: ScanContext) -> Flow:
        for point in points(ctx, strings_only=True):
            if point.location not in ("json", "query"):
                continue
            wrong = yield from send(inject(point, WRONG))
            if wrong.ok or wrong.status in (0, 429):
                continue
            for operator in ("$ne", "$gt"):
                operand = WRONG if operator == "$ne" else ""
                if point.location == "json":
                    request = inject(point, {operator: operand})
                else:
                    query = tuple((k, v) for k, v in point.request.query if k != point.name)
                    request = replace(point.request, query=(*query, (f"{point.name}[{operator}]", operand)))
                response = yield from send(request)
                if response.ok:
                    report(ctx, "injection.nosql", f"The {point.label} evaluates query operators: a wrong value "
                           f"is refused ({wrong.status}) but {{{operator!r}: ...}} succeeds ({response.status}).",
                           request, response)
                    break
