"""API1 BOLA: identity B reads, changes and deletes identity A's objects.

Ids come from A's own answers (never ones B has seen), from the path and from body fields that name
an owner (``username`` in a PUT); objects the scan created as A come first. A read is a finding when
B's answer carries values of A's object (as A saw it in discovery, or as A sees it now) that B never
owned; a write when A then sees B's marker; a delete when A's object is gone afterwards.
Deletes only touch objects the scan created itself.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any, ClassVar

from bastion.redaction.fieldnames import secret_field
from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, ProbeResponse, send
from bastion.scanner.probes.base import baselines, own_leaves, report, shows_victim_data
from bastion.scanner.spec import ScanOperation, matches
from bastion.scanner.values import string_properties

MARKER = "bastion-scan-bola-marker"
OWNER_FIELDS = ("username", "user_id", "userId", "owner", "owner_id", "ownerId", "account_id", "accountId")


class BolaProbe:
    id: ClassVar[str] = "bola"
    phase: ClassVar[int] = 5

    def run(self, ctx: ScanContext) -> Flow:
        if not (ctx.has("a") and ctx.has("b")):
            return
        b_own = own_leaves(ctx, "b")
        for op, base in baselines(ctx, "a", [o for o in ctx.operations if o.secured and o.path_params]):
            if op.method != "GET":
                continue
            request = replace(base.request, identity="b", purpose="probe")
            response = yield from send(request)
            stolen = shows_victim_data(base.response.json(), response.json(), b_own) if response.ok else set()
            if response.ok and not stolen:
                # earlier probes may have rewritten A's object since discovery (injection payloads in its
                # only distinctive field): compare with what A sees now
                now = yield from send(replace(base.request, purpose="probe"))
                stolen = shows_victim_data(now.json(), response.json(), b_own) if now.ok else set()
            if stolen:
                report(ctx, "bola.read", f"Identity B read identity A's object at {request.path} "
                       f"({len(stolen)} of A's values in B's answer).", request, response, operation=op.label)
        writes = [o for o in ctx.operations if o.secured and o.method in ("PUT", "PATCH") and o.body]
        for op in writes:
            yield from self._write(ctx, op)
        for op in [o for o in ctx.operations if o.secured and o.method == "DELETE" and o.path_params]:
            yield from self._delete(ctx, op)

    def _readback(self, ctx: ScanContext, path: str) -> Flow:
        """A's view of ``path`` (the object's GET, if the spec has one): the response or None."""
        candidates = [o for o in ctx.operations if o.method == "GET" and matches(o.path, path)]
        if not candidates:
            return None
        op = min(candidates, key=lambda o: o.path.count("{"))  # /users/me before /users/{user_id}
        request = ctx.build(op, "a", path=path, purpose="probe")
        if request is None:
            return None
        response: ProbeResponse = yield from send(request)
        return response

    def _write(self, ctx: ScanContext, op: ScanOperation) -> Flow:
        # unique per attempt: a marker an earlier write left in A's object neither hides nor fakes this one
        marker = f"{MARKER}-{secrets.token_hex(4)}"
        fields = string_properties(op.body)
        a_path = ctx.fill_path(op, "a")
        if a_path is None or not ctx.allow_unsafe:
            return
        attack = ctx.build(op, "b", path=a_path, purpose="probe")
        if attack is None or not isinstance(attack.json, dict):
            return
        # Never send a credential field: B must not change A's password (a scan that locks users out of
        # their accounts is the harm this probe exists to find, not to cause).
        body: dict[str, Any] = {k: v for k, v in attack.json.items() if secret_field(k) is None}
        for name in fields:
            if secret_field(name) is not None:
                continue
            if not name.lower().endswith(("email", "url", "uri")):
                body[name] = marker
        owner: dict[str, str] = {}
        if not op.path_params:
            owner = _owner_fields(ctx, op)
            if not owner:
                return
            body.update(owner)
        attack = replace(attack, json=body)
        before = yield from self._readback(ctx, a_path)
        if before is not None and marker in before.text:
            return
        response = yield from send(attack)
        if not response.ok:
            return
        after = yield from self._readback(ctx, a_path)
        victim_seen = after is not None and after.ok and marker in after.text
        victim = before.json() if before is not None and before.ok else own_leaves(ctx, "a")
        leaked = shows_victim_data(victim, response.json(), own_leaves(ctx, "b"))
        # B's answer is A's object (it names A the way B's body did) already carrying B's marker: proof
        # even when another probe rewrote A's object before A's read-back (probes run concurrently)
        echoed = marker in response.text and (_names_owner(response.json(), owner) if owner
                                              else _is_victims_object(victim, response.json(), set(body)))
        if victim_seen or echoed or (op.path_params and leaked):
            how = ("A now sees B's marker" if victim_seen else "B's answer is A's object with B's marker" if echoed
                   else "B's answer carries A's data")
            where = "a body field naming A" if not op.path_params else "A's id in the path"
            report(ctx, "bola.write", f"Identity B changed identity A's object via {where} ({how}).",
                   attack, response, operation=op.label)

    def _delete(self, ctx: ScanContext, op: ScanOperation) -> Flow:
        owned = [path for template, path in ctx.created.get("a", []) if template == op.path]
        if not owned:
            return
        path = owned[-1]
        before = yield from self._readback(ctx, path)
        if before is None or not before.ok:
            return
        request = ctx.build(op, "b", path=path, purpose="probe")
        if request is None:
            return
        response = yield from send(request)
        after = yield from self._readback(ctx, path)
        if response.ok and after is not None and after.status in (404, 410):
            report(ctx, "bola.delete", f"Identity B deleted identity A's object {path}.", request, response,
                   operation=op.label)
            ctx.created["a"] = [c for c in ctx.created["a"] if c[1] != path]


def _owner_fields(ctx: ScanContext, op: ScanOperation) -> dict[str, str]:
    """Body fields that name A (``username``: A's username), for operations without a path id."""
    a_bank, b_leaves = ctx.bank("a"), own_leaves(ctx, "b")
    out: dict[str, str] = {}
    for field in OWNER_FIELDS:
        values = [v for k, v, _ in a_bank.entries if k == field and v not in b_leaves]
        if field == "username" and ctx.identities["a"].username:
            values.insert(0, ctx.identities["a"].username or "")
        if values:
            out[field] = values[0]
    return out


def _is_victims_object(victim: Any, answer: Any, sent: set[str]) -> bool:
    """Is B's answer A's object — every field B did not send (at least two: an id and an owner, say)
    with A's value, allowing one that moved (a timestamp)?"""
    if not isinstance(victim, dict) or not isinstance(answer, dict):
        return False
    unsent = {k: v for k, v in victim.items() if k not in sent and not isinstance(v, dict | list)}
    same = sum(1 for k, v in unsent.items() if answer.get(k) == v)
    return same >= 2 and same >= len(unsent) - 1


def _names_owner(doc: Any, owner: dict[str, str]) -> bool:
    """Does the top-level object carry one of ``owner``'s fields with A's value (``username: alice``)?"""
    return isinstance(doc, dict) and any(str(doc.get(k)) == v for k, v in owner.items() if k in doc)


