"""API5 BFLA: privileged operations called by a regular identity.

An operation is privileged when the admin identity's baseline succeeds where it matters, or when its
path, operationId or tags say so (``admin``, ``internal``, ``manage``...). Identity A (a regular user)
replays the request; a 2xx answer shaped like the admin's answer (or, without an admin identity, any
2xx JSON answer to a privileged-looking operation) is a finding. Only safe methods are replayed:
privileged writes are judged by their read twins.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import SAFE_METHODS, Flow, send
from bastion.scanner.probes.base import report


def shape(data: Any) -> Any:
    """The structure of a JSON answer without its values: keys of objects, the shape of list items."""
    if isinstance(data, dict):
        return {k: shape(v) for k, v in data.items()}
    if isinstance(data, list):
        return [shape(data[0])] if data else []
    return type(data).__name__


class BflaProbe:
    id: ClassVar[str] = "bfla"
    phase: ClassVar[int] = 1

    def run(self, ctx: ScanContext) -> Flow:
        if not ctx.has("a"):
            return
        for op in ctx.operations:
            if op.method not in SAFE_METHODS or not op.secured:
                continue
            admin = ctx.baselines.get((op.label, "admin"))
            if not op.privileged:
                continue
            request = admin.request if admin is not None else ctx.build(op, "a")
            if request is None:
                continue
            attack = replace(request, identity="a", purpose="probe")
            response = yield from send(attack)
            if not response.ok or response.json() is None:
                continue
            if admin is not None and shape(admin.response.json()) != shape(response.json()):
                continue
            report(ctx, "bfla.privileged-operation",
                   f"A regular user called the privileged operation {op.label} and got {response.status}.",
                   attack, response, operation=op.label)
