"""Privilege escalation through a role field: identity A raises its own role and the API keeps it.

Blind ``role: admin`` guesses fail on APIs whose roles are an enum of their own words (``Customer``,
``Employee``, ``Chef``): the write is refused or answers 500 and proves nothing. This check learns the
words instead. A's current value of the field comes from A's own object (a baseline answer that is a
single object, such as ``GET /profile``); the first candidate is the admin identity's value of the same
field, then common staff words written in the style of A's value (``Admin``, ``Employee``...).

It writes only A's own account: operations without a path id, with a user field set to A's user name
where the body has one. A candidate is proven when the write succeeds and A's object (the write's
answer, else A's own GET again) now carries it; the scan then writes A's old value back at once, so the
probes that run alongside keep a regular A. A role field the operation documents makes a function-level
finding (a regular user assigns roles); one it does not document, mass assignment.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, ProbeRequest, ProbeResponse, send
from bastion.scanner.probes.accounts import USER_FIELD, changes_credentials
from bastion.scanner.probes.base import report
from bastion.scanner.spec import ScanOperation

ROLE_FIELD = re.compile(r"^(user_?)?roles?$|^(user|account)_?type$|^access_?level$|^privileges?$", re.I)
STAFF_WORDS = ("admin", "administrator", "superuser", "root", "staff", "employee", "manager", "moderator",
               "owner", "operator")
SELFISH = re.compile(r"profile|account|user|member|me\b|self|settings|role", re.I)


def styled(word: str, like: str) -> str:
    """``word`` in the letter case of ``like`` (``Customer`` -> ``Admin``, ``CUSTOMER`` -> ``ADMIN``)."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word.capitalize()
    return word.lower()


def own_object(ctx: ScanContext, identity: str, name: str) -> tuple[ScanOperation, dict[str, Any]] | None:
    """``identity``'s own object carrying ``name``: a GET without path parameters answering one object with
    the field (``GET /profile`` -> ``{"username": "alice", "role": "Customer"}``), with the operation."""
    for op in ctx.operations:
        found = ctx.baselines.get((op.label, identity))
        if found is None or op.method != "GET" or op.path_params:
            continue
        data = found.response.json()
        if isinstance(data, dict) and isinstance(data.get(name), str) and data[name]:
            return op, data
    return None


def candidates(ctx: ScanContext, name: str, current: str) -> list[str]:
    admin = own_object(ctx, "admin", name) if ctx.has("admin") else None
    words = [str(admin[1][name])] if admin is not None else []
    words += [styled(w, current) for w in STAFF_WORDS]
    return [w for i, w in enumerate(words) if w != current and w not in words[:i]]


def role_fields(op: ScanOperation) -> tuple[list[str], bool]:
    """The role-like fields to try on ``op``, and whether the operation documents them."""
    props = (op.body or {}).get("properties") or {}
    documented = [k for k in props if ROLE_FIELD.match(k)]
    if documented:
        return documented, True
    return (["role"], False) if SELFISH.search(op.path + " " + op.operation_id) else ([], False)


def shows(response: ProbeResponse, name: str, value: str) -> bool:
    data = response.json()
    return isinstance(data, dict) and data.get(name) == value


class EscalationCheck:
    """Run from the mass-assignment probe (phase 5, unsafe methods only); see the module docstring."""

    def run(self, ctx: ScanContext) -> Flow:
        if not (ctx.allow_unsafe and ctx.has("a")):
            return
        for op in ctx.operations:
            if not op.secured or op.method not in ("PUT", "PATCH", "POST") or op.path_params \
                    or not isinstance(op.body, dict) or changes_credentials(op):
                continue
            names, documented = role_fields(op)
            for name in names:
                own = own_object(ctx, "a", name)
                if own is not None and (yield from self._escalate(ctx, op, name, documented, *own)):
                    break

    def _escalate(self, ctx: ScanContext, op: ScanOperation, name: str, documented: bool,
                  own_op: ScanOperation, own: dict[str, Any]) -> Flow:
        request = ctx.build(op, "a", purpose="probe")
        if request is None or not isinstance(request.json, dict):
            return False
        current = str(own[name])
        # the required fields only (an example phone number or email may collide with another account's
        # unique value), with A's own user name wherever the body names a user
        required = set(op.body.get("required") or ()) if op.body else set()
        body: dict[str, Any] = {k: v for k, v in request.json.items() if k in required}
        for key in [k for k in (op.body or {}).get("properties") or {} if USER_FIELD.match(k)]:
            me = ctx.identities["a"].username if key.lower() in ("username", "user", "login") else None
            me = me or own.get(key)
            if isinstance(me, str):
                body[key] = me
            elif key in required:
                return False
        for value in candidates(ctx, name, current):
            attempt = replace(request, json={**body, name: value})
            response = yield from send(attempt)
            if not response.ok:
                continue
            raised = shows(response, name, value)
            if not raised:
                now = ctx.build(own_op, "a", purpose="probe")
                check: ProbeResponse | None = (yield from send(now)) if now is not None else None
                raised = check is not None and shows(check, name, value)
            if not raised:
                continue
            yield from self._restore(attempt, name, current)
            where = "a field it documents" if documented else "a field it does not document"
            report(ctx, "bfla.privileged-operation" if documented else "bopla.mass-assignment",
                   f"Identity A raised its own {name} from {current!r} to {value!r} through {op.label} "
                   f"({where}); the scan set it back.", attempt, response, operation=op.label)
            return True
        return False

    def _restore(self, attempt: ProbeRequest, name: str, current: str) -> Flow:
        yield from send(replace(attempt, json={**attempt.json, name: current}))
