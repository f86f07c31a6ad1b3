"""API5 BFLA: privileged operations called by a regular identity.

An operation is privileged when the admin identity's baseline succeeds where it matters, or when its
path, operationId or tags say so (``admin``, ``internal``, ``manage``...). Identity A (a regular user)
replays the request; a 2xx answer shaped like the admin's answer (or, without an admin identity, any
2xx JSON answer to a privileged-looking operation) is a finding. Only safe methods are replayed:
privileged writes are judged by their read twins, with one exception: an object the admin created
through an operation A was refused (discovery's ``ctx.created["admin"]``) is deleted as A. A 2xx, and
the admin's own delete of it answering 404/410 afterwards, prove the delete was A's; when A is
refused, the admin's delete removes the scan's object.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import SAFE_METHODS, Flow, ProbeResponse, send
from bastion.scanner.probes.base import report
from bastion.scanner.spec import ScanOperation


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
        if ctx.allow_unsafe:
            for op in [o for o in ctx.operations if o.method == "DELETE" and o.path_params]:
                yield from self._delete(ctx, op)

    def _delete(self, ctx: ScanContext, op: ScanOperation) -> Flow:
        for path in [p for template, p in ctx.created.get("admin", []) if template == op.path]:
            attack = ctx.build(op, "a", path=path, purpose="probe")
            cleanup = ctx.build(op, "admin", path=path, purpose="probe")
            if attack is None or cleanup is None:
                continue
            response = yield from send(attack)
            after: ProbeResponse = yield from send(cleanup)
            if response.ok and after.status in (404, 410):
                report(ctx, "bfla.privileged-operation",
                       f"A regular user deleted {path}, an object only the admin could create "
                       f"({op.label} answered {response.status}; the admin's delete then found nothing).",
                       attack, response, operation=op.label)
            ctx.created["admin"] = [c for c in ctx.created["admin"] if c[1] != path]
