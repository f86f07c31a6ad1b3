"""API2 user enumeration: a known and an unknown user name must get the same answer.

For each login or reset operation, identity A's user name and a random one are sent with the same
wrong secret. A different status, or a different body once the names are taken out, is a finding.
Rate-limited answers are inconclusive and skipped.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, send
from bastion.scanner.probes.accounts import SECRET_FIELD, fields, is_user_lookup, known_user, with_user
from bastion.scanner.probes.base import report

UNKNOWN = "bastion-scan-nobody-4d1c"


class EnumerationProbe:
    id: ClassVar[str] = "user-enumeration"
    phase: ClassVar[int] = 5

    def run(self, ctx: ScanContext) -> Flow:
        user = known_user(ctx)
        if not ctx.allow_unsafe or user is None:
            return
        for op in [o for o in ctx.operations if is_user_lookup(o)]:
            request = ctx.build(op, None, purpose="attempt")
            if request is None:
                continue
            wrong = {name: "Wrong-secret-1" for name in fields(op, SECRET_FIELD)}
            known_req = replace(request, json={**with_user(request.json, op, user), **wrong})
            unknown_req = replace(request, json={**with_user(request.json, op, UNKNOWN), **wrong})
            known = yield from send(known_req)
            unknown = yield from send(unknown_req)
            if 429 in (known.status, unknown.status) or 0 in (known.status, unknown.status):
                continue
            same_body = known.text.replace(user, "") == unknown.text.replace(UNKNOWN, "")
            if known.status != unknown.status or not same_body:
                report(ctx, "auth.user-enumeration", f"{op.label} answers {known.status} for an existing user and "
                       f"{unknown.status} for an unknown one"
                       + ("" if known.status != unknown.status else ", with different messages") + ".",
                       unknown_req, unknown, notes=f"existing user got: {known.status} {known.text[:120]}")
