"""API9 spec conformance, passive: valid requests whose answers break the contract.

For every baseline the scan logged: a status the operation does not document is a finding when it is
a 5xx or an unexpected success (4xx answers to a scanner are the API's business); a documented JSON
answer that fails its schema is a finding. Undocumented properties are left to the exposure probe.
"""

from __future__ import annotations

from typing import ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow
from bastion.scanner.probes.base import report


class ConformanceProbe:
    id: ClassVar[str] = "conformance"
    phase: ClassVar[int] = 7

    def run(self, ctx: ScanContext) -> Flow:
        seen: set[tuple[str, str]] = set()
        for exchange in list(ctx.log):
            request, response = exchange.request, exchange.response
            if request.purpose != "baseline" or response.status == 0 or not request.operation:
                continue
            op = ctx.operation(request.method, request.operation.split(" ", 1)[1])
            if op is None:
                continue
            if not op.documents(response.status) and (response.status >= 500 or response.status < 400):
                if (op.label, "status") not in seen:
                    seen.add((op.label, "status"))
                    report(ctx, "inventory.undocumented-status", f"{op.label} answered {response.status}, "
                           "which the spec does not document.", request, response)
                continue
            validator = op.validator(response.status)
            data = response.json()
            if validator is None or data is None or (op.label, "schema") in seen:
                continue
            errors = [f"{'/'.join(map(str, e.instance_path)) or '(root)'}: {e.message}"
                      for e in validator.iter_errors(data)][:3]
            if errors:
                seen.add((op.label, "schema"))
                report(ctx, "inventory.spec-mismatch", f"{op.label} answered {response.status} with a body "
                       f"that breaks its schema: {'; '.join(errors)}.", request, response)
        yield from ()
