"""API2 attempt limits: login, reset-code and OTP checks must slow down or refuse a bounded burst.

Each challenge operation (a POST that checks a password, code or OTP) receives 25 wrong attempts for
identity A's user name. No 429 or 423 (and no Retry-After) among them is a finding. Many APIs refuse
a wrong password with 200 and a "fail" message: an attempt counts as refused unless its answer
carries a token or session, as a successful login's does. The burst runs in
the last active phase because a correct limit may lock the account. A check behind authentication
(redeeming a code as a signed-in user) gets the attempts with its prober's credentials: 25 answers of
"not authenticated" say nothing about a limit, so a burst that only met 401 is no finding.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, ProbeResponse, send
from bastion.scanner.probes.accounts import SECRET_FIELD, fields, is_challenge, known_user, with_user
from bastion.scanner.probes.base import report

ATTEMPTS = 25
GRANT = re.compile(r"token|session|jwt|access|refresh", re.I)


def limited(response: ProbeResponse) -> bool:
    return response.status in (423, 429) or bool(response.header("retry-after"))


def accepted(response: ProbeResponse) -> bool:
    """Did the check let this attempt in? A 2xx answer that hands out a token, a session or a cookie."""
    if not response.ok:
        return False
    if response.header("set-cookie"):
        return True
    data = response.json()
    return any(isinstance(obj, dict) and any(GRANT.search(str(k)) and v for k, v in obj.items())
               for obj in (data, *(data.values() if isinstance(data, dict) else ())))


class AttemptsProbe:
    id: ClassVar[str] = "attempt-limits"
    phase: ClassVar[int] = 6

    def run(self, ctx: ScanContext) -> Flow:
        if not ctx.allow_unsafe:
            return
        user = known_user(ctx)
        for op in [o for o in ctx.operations if is_challenge(o)]:
            identity = ctx.prober(op)
            if op.secured and identity is None:
                continue
            request = ctx.build(op, identity, purpose="attempt")
            if request is None:
                continue
            body = with_user(request.json, op, user)
            statuses: set[int] = set()
            last: ProbeResponse | None = None
            attempt = request
            for n in range(ATTEMPTS):
                wrong = {name: f"{n:04d}" if "code" in name.lower() or "otp" in name.lower() else f"wrong-{n}"
                         for name in fields(op, SECRET_FIELD)}
                attempt = replace(request, json={**body, **wrong})
                last = yield from send(attempt)
                statuses.add(last.status)
                if limited(last) or last.status == 0 or accepted(last):
                    break
            if last is not None and not limited(last) and last.status != 0 and not accepted(last) \
                    and not (op.secured and statuses == {401}):
                report(ctx, "auth.no-attempt-limit", f"{op.label} took {ATTEMPTS} wrong attempts in a row "
                       f"without limiting them (answers: {sorted(statuses)}).", attempt, last, operation=op.label)
