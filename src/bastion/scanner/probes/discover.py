"""Discovery: a valid request per operation and identity, learning object ids from the answers.

Collections first (operations without path parameters), then, with unsafe methods allowed, one object
per creatable collection as each identity (so later probes attack objects the scan owns), then item
operations with the ids learned. Every 2xx answer becomes that identity's baseline.
"""

from __future__ import annotations

import re
from typing import ClassVar

from bastion.scanner.context import Exchange, ScanContext
from bastion.scanner.messages import Flow, send
from bastion.scanner.spec import ScanOperation

ACCOUNT_FLOW = re.compile(r"login|logout|signin|sign-in|signup|sign-up|register|token|password|reset|otp|"
                          r"verify|mfa|2fa|session|auth", re.I)


def is_account_flow(op: ScanOperation) -> bool:
    return bool(ACCOUNT_FLOW.search(op.path + " " + op.operation_id))


def identities_for(ctx: ScanContext, op: ScanOperation) -> list[str]:
    names = [n for n in ("a", "b", "admin") if ctx.has(n)]
    return names if op.secured else ["anon", *names[:1]]


class DiscoverProbe:
    id: ClassVar[str] = "discover"
    phase: ClassVar[int] = 0

    def run(self, ctx: ScanContext) -> Flow:
        gets = [o for o in ctx.operations if o.method == "GET"]
        for op in [o for o in gets if not o.path_params]:
            yield from self._baseline(ctx, op)
        if ctx.allow_unsafe:
            for op in ctx.operations:
                if op.method == "POST" and not op.path_params and not is_account_flow(op):
                    yield from self._create(ctx, op)
        for _ in range(2):
            for op in [o for o in gets if o.path_params]:
                yield from self._baseline(ctx, op)

    def _baseline(self, ctx: ScanContext, op: ScanOperation) -> Flow:
        for name in identities_for(ctx, op):
            if (op.label, name) in ctx.baselines:
                continue
            request = ctx.build(op, None if name == "anon" else name)
            if request is None:
                continue
            response = yield from send(request)
            if response.ok:
                ctx.baselines[(op.label, name)] = Exchange(request, response)

    def _create(self, ctx: ScanContext, op: ScanOperation) -> Flow:
        item = next((o for o in ctx.operations if o.method == "GET" and o.path.startswith(op.path + "/{")
                     and o.path.count("/") == op.path.count("/") + 1), None)
        for name in [n for n in ("a", "b") if ctx.has(n)]:
            request = ctx.build(op, name, purpose="create")
            if request is None:
                continue
            response = yield from send(request)
            data = response.json()
            if response.ok and item is not None and isinstance(data, dict):
                key = next((k for k in ("id", "uuid", *[p.name for p in item.path_params]) if k in data), None)
                if key is not None:
                    path = item.path.replace("{" + item.path_params[0].name + "}", str(data[key]))
                    ctx.created.setdefault(name, []).append((item.path, path))
