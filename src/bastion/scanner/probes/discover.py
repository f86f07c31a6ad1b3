"""Discovery: a valid request per operation and identity, learning object ids from the answers.

Collections first (operations without path parameters), then, with unsafe methods allowed, one object
per creatable collection as each identity, with values unique to the identity and the scan (so later
probes attack objects the scan owns; ``created`` finds each one even when the answer has no id), then
item operations with the ids learned, the created objects first. Every 2xx answer becomes that identity's baseline.

Last, who may call what: a secured operation that refuses A (401/403) but serves the admin is probed
as the admin from then on (``ctx.callers``), so staff-only operations are still tested for injection
and SSRF. Writes are tried once each for that, with unsafe methods allowed and an admin identity; an
object the admin creates that way (a collection PUT or POST A may not call) is remembered as the
admin's, for the function-level check on its delete. An admin call that fails is tried once more with
only the required fields.

Specs often declare no ``security`` at all. An operation without it that refuses an anonymous call
(401/403) but answers an identity is treated as secured, so the authorization checks (BOLA, BFLA,
broken tokens) cover it; a write without it is asked once anonymously, with made-up ids that name no
real object, and a 401/403 marks it secured too.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from bastion.scanner.context import Exchange, ScanContext
from bastion.scanner.messages import SAFE_METHODS, Flow, send
from bastion.scanner.probes.accounts import SIGNUP, changes_credentials, is_challenge, is_user_lookup
from bastion.scanner.probes.created import locate
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
        for op in [o for o in gets if not o.path_params and (ctx.allow_unsafe or not o.acts)]:
            yield from self._baseline(ctx, op)
        if ctx.allow_unsafe and ctx.identities:
            for op in [o for o in ctx.operations if o.method not in SAFE_METHODS and not o.secured]:
                yield from self._auth_check(ctx, op)
        if ctx.allow_unsafe:
            for op in ctx.operations:
                if op.method == "POST" and not op.path_params and not is_account_flow(op):
                    yield from self._create(ctx, op)
        for _ in range(2):
            for op in [o for o in gets if o.path_params]:
                yield from self._baseline(ctx, op)
        if ctx.has("a") and ctx.has("admin"):
            yield from self._callers(ctx)

    def _baseline(self, ctx: ScanContext, op: ScanOperation) -> Flow:
        op = ctx.operation(op.method, op.path) or op  # the current one, if it was marked secured since
        refused = False
        for name in identities_for(ctx, op):
            if (op.label, name) in ctx.baselines:
                continue
            request = ctx.build(op, None if name == "anon" else name)
            if request is None:
                continue
            response = yield from send(request)
            if op.acts:
                return  # called once (it may reset data), and kept from every probe that replays baselines
            refused = refused or (name == "anon" and response.status in (401, 403))
            if response.ok:
                ctx.baselines[(op.label, name)] = Exchange(request, response)
        if refused and not op.secured and any((op.label, n) in ctx.baselines for n in ctx.identities):
            yield from self._baseline(ctx, ctx.mark_secured(op))  # now as every identity

    def _callers(self, ctx: ScanContext) -> Flow:
        for op in [o for o in ctx.operations if o.secured]:
            if op.method == "GET":
                if (op.label, "a") not in ctx.baselines and (op.label, "admin") in ctx.baselines:
                    ctx.callers[op.label] = "admin"
                continue
            if not ctx.allow_unsafe or op.method not in ("POST", "PUT", "PATCH") or is_account_flow(op) \
                    or changes_credentials(op):
                continue
            request = ctx.build(op, "a", purpose="probe")
            if request is None:
                continue
            response = yield from send(request)
            if response.status not in (401, 403):
                continue
            request = ctx.build(op, "admin", purpose="create" if not op.path_params else "probe")
            if request is None:
                continue
            response = yield from send(request)
            if not response.ok and isinstance(request.json, dict):
                # an optional field's example may fail the whole call (an image URL the server fetches and
                # cannot reach): the required fields alone
                required = set((op.body or {}).get("required") or ())
                request = replace(request, json={k: v for k, v in request.json.items() if k in required})
                response = yield from send(request)  # (a connection the failed call left closed: the engine resends)
            if not response.ok:
                continue
            ctx.callers[op.label] = "admin"
            item = None if op.path_params else next(
                (o for o in ctx.operations if len(o.path_params) == 1 and o.path.startswith(op.path + "/{")
                 and o.path.count("/") == op.path.count("/") + 1), None)
            if item is not None:
                path = yield from locate(ctx, op, item, request, response)
                if path is not None:
                    ctx.created.setdefault("admin", []).append((item.path, path))

    def _auth_check(self, ctx: ScanContext, op: ScanOperation) -> Flow:
        words = op.path + " " + op.operation_id
        if is_challenge(op) or is_user_lookup(op) or SIGNUP.search(words):
            return  # a login refuses wrong credentials with 401: that says nothing about its protection
        path = op.path
        for param in op.path_params:
            made_up = "999999937" if param.schema.get("type") == "integer" else "bastion-scan-nobody"
            path = path.replace("{" + param.name + "}", made_up)
        request = ctx.build(op, None, path=path, purpose="probe")
        if request is None:
            return
        response = yield from send(request)
        if response.status in (401, 403):
            ctx.mark_secured(op)

    def _create(self, ctx: ScanContext, op: ScanOperation) -> Flow:
        item = next((o for o in ctx.operations if o.method == "GET" and o.path.startswith(op.path + "/{")
                     and o.path.count("/") == op.path.count("/") + 1), None)
        for name in [n for n in ("a", "b") if ctx.has(n)]:
            request = ctx.build(op, name, purpose="create")
            if request is None:
                continue
            response = yield from send(request)
            if response.ok and item is not None:
                path = yield from locate(ctx, op, item, request, response)
                if path is not None:
                    ctx.adopt(name, item.path, path)
