"""API1 credential change: identity B sets identity A's password through an operation naming the user.

Runs only with unsafe methods allowed and login flows for A and B (so the scan knows both passwords
and can put them back). For each credential-change operation (a write that sets a password, neither
a login nor a signup) whose one path parameter names the user (``{username}``), B sends A's user name
and a fresh random password. The finding needs proof: A then logs in with that password. Afterwards
the passwords are set back: A's through A's new session, B's through B's own (some APIs ignore the
path and change the caller's password instead).
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import ClassVar

from bastion.redaction.fieldnames import secret_field
from bastion.scanner.context import Identity, ScanContext
from bastion.scanner.identities import auth_header, login_request, login_secret, token_from
from bastion.scanner.messages import Flow, ProbeRequest, send
from bastion.scanner.probes.accounts import USER_FIELD, changes_credentials
from bastion.scanner.probes.base import report
from bastion.scanner.spec import ScanOperation


def user_path(op: ScanOperation, user: str) -> str | None:
    """``op``'s path for ``user`` when its only path parameter names a user, else None."""
    params = op.path_params
    if len(params) != 1 or not USER_FIELD.search(params[0].name):
        return None
    return op.path.replace("{" + params[0].name + "}", user)


def set_secret(ctx: ScanContext, op: ScanOperation, identity: str | None, path: str, secret: str,
               headers: tuple[tuple[str, str], ...] = ()) -> ProbeRequest | None:
    request = ctx.build(op, identity, path=path, purpose="probe", headers=headers)
    if request is None or not isinstance(request.json, dict):
        return None
    return replace(request, json={k: secret if secret_field(k) else v for k, v in request.json.items()})


class CredentialChangeProbe:
    id: ClassVar[str] = "credential-change"
    phase: ClassVar[int] = 5

    def run(self, ctx: ScanContext) -> Flow:
        a, b = ctx.identities.get("a"), ctx.identities.get("b")
        if not ctx.allow_unsafe or a is None or b is None:
            return
        for op in [o for o in ctx.operations if changes_credentials(o)]:
            yield from self._attempt(ctx, op, a, b)

    def _attempt(self, ctx: ScanContext, op: ScanOperation, a: Identity, b: Identity) -> Flow:
        if a.flow is None or b.flow is None or not a.username or not b.username:
            return
        a_secret, b_secret = login_secret(a.flow), login_secret(b.flow)
        a_path, b_path = user_path(op, a.username), user_path(op, b.username)
        if a_secret is None or b_secret is None or a_path is None or b_path is None:
            return
        fresh = f"Bastion-{secrets.token_hex(6)}-9"
        attack = set_secret(ctx, op, "b", a_path, fresh)
        if attack is None:
            return
        response = yield from send(attack)
        if not response.ok:
            return
        proof = yield from send(login_request(a.flow, fresh))
        token = token_from(a.flow, proof)
        if token is not None:
            report(ctx, "bola.credential-change", f"Identity B set identity A's password through {op.label}; "
                   "A then logged in with the password B chose.", attack, response, operation=op.label)
            restore = set_secret(ctx, op, None, a_path, a_secret, (auth_header(a.flow, token),))
            if restore is not None:
                yield from send(restore)
        restore_b = set_secret(ctx, op, "b", b_path, b_secret)
        if restore_b is not None:
            yield from send(restore_b)
