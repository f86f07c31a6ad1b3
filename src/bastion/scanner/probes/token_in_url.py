"""API2 credentials in URLs: a query parameter that accepts identity A's token instead of the header.

Query parameters whose names say token, key, password or session are given A's token (with no
Authorization header); a 2xx answer carrying A's data is a finding.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, send
from bastion.scanner.probes.base import leaves, report

CREDENTIAL = re.compile(r"token|api_?key|apikey|access_?key|password|passwd|secret|session|auth|jwt", re.I)


class TokenInUrlProbe:
    id: ClassVar[str] = "token-in-url"
    phase: ClassVar[int] = 1

    def run(self, ctx: ScanContext) -> Flow:
        token = ctx.identities["a"].token if ctx.has("a") else None
        if token is None:
            return
        for op in ctx.operations:
            names = [p.name for p in op.params if p.location == "query" and CREDENTIAL.search(p.name)]
            base = ctx.baselines.get((op.label, "a"))
            if not names or base is None or op.method != "GET":
                continue
            query = (*((k, v) for k, v in base.request.query if k not in names), (names[0], token))
            request = replace(base.request, identity=None, query=query, purpose="probe")
            response = yield from send(request)
            if response.ok and leaves(base.response.json()) & leaves(response.json()):
                report(ctx, "auth.token-in-url", f"{op.label} accepts the bearer token in the query parameter "
                       f"'{names[0]}'.", request, response)
