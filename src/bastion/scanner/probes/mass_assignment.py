"""API3 mass assignment: server-managed properties accepted on write and reflected afterwards.

For each write operation the probe adds properties the client must not control: those the response
schema marks ``readOnly`` or that the request schema does not list, plus common privilege and money
fields (``role``, ``isAdmin``, ``balance``...). A property is a finding when the write succeeds and
the value the probe chose comes back: in the answer, or (when the answer shows no object, as a
signup's often does) in the object found again in a listing the scan read before, by the unique
values the write gave it. Then the role check (``escalation``): A raises its own role with the words
the API itself uses for roles, and the scan sets it back.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any, ClassVar

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, send
from bastion.scanner.probes.accounts import USER_FIELD, changes_credentials
from bastion.scanner.probes.base import report
from bastion.scanner.probes.escalation import EscalationCheck
from bastion.scanner.spec import ScanOperation

PRIVILEGED: dict[str, Any] = {"role": "admin", "is_admin": True, "isAdmin": True, "admin": True,
                              "balance": 31337, "credit": 31337, "verified": True, "is_verified": True,
                              "permissions": ["admin"], "roles": ["admin"], "owner_id": 31337, "total": 0.01,
                              "price": 0.01, "discount": 99}
UNIQUE = "-bsma"


def marked(name: str) -> bool:
    """Fields made unique on each write (so a signup creates a new account, found again by them)."""
    return name == "name" or bool(USER_FIELD.search(name))


def _candidate_value(name: str, schema: dict[str, Any]) -> Any:
    if name in PRIVILEGED:
        return PRIVILEGED[name]
    kind = schema.get("type")
    if kind == "boolean":
        return True
    if kind == "integer":
        return 31337
    if kind == "number":
        return 0.01
    if kind == "string" and "role" in name.lower():
        return "admin"
    return None


def extra_properties(op: ScanOperation) -> dict[str, Any]:
    writable = set((op.body or {}).get("properties") or {})
    out: dict[str, Any] = {}
    for status, schema in op.responses.items():
        if not status.startswith("2") or not isinstance(schema, dict):
            continue
        for name, prop in (schema.get("properties") or {}).items():
            if isinstance(prop, dict) and (prop.get("readOnly") or name not in writable) and name != "id":
                value = _candidate_value(name, prop)
                if value is not None:
                    out[name] = value
    for name, value in PRIVILEGED.items():
        if name not in writable:
            out.setdefault(name, value)
    return out


def reflected(data: Any, injected: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in injected.items() if k in data and data[k] == v}


class MassAssignmentProbe:
    id: ClassVar[str] = "mass-assignment"
    phase: ClassVar[int] = 5

    def run(self, ctx: ScanContext) -> Flow:
        if not ctx.allow_unsafe:
            return
        for op in ctx.operations:
            if op.method not in ("POST", "PUT", "PATCH") or not isinstance(op.body, dict) or changes_credentials(op):
                continue
            identity = "a" if op.secured and ctx.has("a") else None
            if op.secured and identity is None:
                continue
            request = ctx.build(op, identity, purpose="probe")
            if request is None or not isinstance(request.json, dict):
                continue
            injected = {k: v for k, v in extra_properties(op).items() if k not in request.json}
            unique = f"{UNIQUE}{secrets.token_hex(3)}"  # a new object each scan, found again by these values
            body = {k: (v + unique if isinstance(v, str) and marked(k) else v) for k, v in request.json.items()}
            if "email" in body and isinstance(body["email"], str) and "@" in body["email"]:
                body["email"] = body["email"].replace("@", unique + "@", 1)
            attack = replace(request, json={**body, **injected})
            response = yield from send(attack)
            if not response.ok:
                continue
            baseline = ctx.baselines.get((op.label, identity or "anon"))
            before = baseline.response.json() if baseline is not None else None
            found = {k: v for k, v in reflected(response.json(), injected).items()
                     if not (isinstance(before, dict) and before.get(k) == v)}
            markers = {k: v for k, v in body.items() if marked(k) and isinstance(v, str) and unique in v}
            if not found and markers and not reflected(response.json(), markers):
                found = yield from self._listed(ctx, markers, injected)
            if found:
                names = ", ".join(sorted(found))
                report(ctx, "bopla.mass-assignment",
                       f"{op.label} accepted and reflected server-managed properties: {names}.",
                       attack, response, operation=op.label)
        yield from EscalationCheck().run(ctx)

    def _listed(self, ctx: ScanContext, markers: dict[str, Any], injected: dict[str, Any]) -> Flow:
        """Injected values on the new object, as the listings read during discovery now show it."""
        seen: set[str] = set()
        for (label, _), base in list(ctx.baselines.items()):
            op = ctx.operation(base.request.method, label.split(" ", 1)[-1])
            if op is None or op.path_params or op.acts or label in seen or base.request.method != "GET":
                continue
            seen.add(label)
            response = yield from send(replace(base.request, purpose="probe"))
            for item in objects(response.json()):
                if reflected(item, markers) == markers:
                    found = reflected(item, injected)
                    if found:
                        return found
        return {}


def objects(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every JSON object in ``data``, outermost first (bounded depth and list length)."""
    if depth > 6:
        return []
    if isinstance(data, dict):
        return [data, *(o for v in data.values() for o in objects(v, depth + 1))]
    if isinstance(data, list):
        return [o for v in data[:200] for o in objects(v, depth + 1)]
    return []
