"""Authorization (API1/API5:2023): guessable object ids, object-level checks, admin operations."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.auditor.rules.vocabulary import ADMIN_SEGMENTS, is_object_id, segments
from bastion.findings.model import Severity
from bastion.openapi import Operation, Where, types

OBJECT_AUTHZ_HINTS = ("x-object-authorization", "x-bastion-authorize", "x-authorization", "x-owner")


@rule(RuleInfo(
    "authz.sequential-id", "Sequential numeric object id", Severity.MEDIUM, "API1:2023", 639,
    "Integer ids are guessable: an attacker who sees `/orders/1041` tries 1040 and 1042. Combined with a "
    "missing ownership check this is the classic broken object level authorization (BOLA) attack, and even "
    "with one it leaks business volumes.",
    "Use random identifiers (UUIDv4/ULID, `type: string, format: uuid`) for objects addressed by clients."))
def sequential_id(ctx: AuditContext) -> Iterator[Hit]:
    seen: set[Where] = set()
    for op in ctx.operations:
        for param in op.parameters:
            if param.location not in {"path", "query"} or param.schema is None or param.where in seen:
                continue
            schema = param.schema.value
            if isinstance(schema, dict) and types(schema) & {"integer"} and is_object_id(param.name):
                seen.add(param.where)
                yield Hit(param.where, f"{op.label}: `{param.name}` is a sequential integer id.", op)


def _has_object_hint(op: Operation) -> bool:
    if any(key in op.spec for key in OBJECT_AUTHZ_HINTS):
        return True
    text = f"{op.spec.get('description', '')} {op.spec.get('summary', '')}".lower()
    return any(word in text for word in ("owner", "own ", "belongs to", "authorized user", "caller's"))


@rule(RuleInfo(
    "authz.object-level", "Object id without an object-level authorization rule", Severity.MEDIUM,
    "API1:2023", 639,
    "The operation addresses one object by an id the client chooses. Authentication alone does not stop a "
    "user from reading or changing someone else's object by changing the id (BOLA, the top API risk); the "
    "spec gives no sign that ownership is checked.",
    "Check that the caller may access this object on every call (for example bastion's `authorize` policy "
    "with `object: {param: ..., claim: ...}`), and document it with `x-object-authorization` on the operation."))
def object_level(ctx: AuditContext) -> Iterator[Hit]:
    by_path: dict[str, list[Operation]] = {}  # one root cause per path: the object it addresses
    for op in ctx.operations:
        if not op.webhook and op.security and not _has_object_hint(op) and \
                any(is_object_id(p.name) for p in op.params("path")):
            by_path.setdefault(op.path, []).append(op)
    for path, ops in by_path.items():
        ids = [p.name for p in ops[0].params("path") if is_object_id(p.name)]
        methods = ", ".join(op.method for op in ops)
        yield Hit(ops[0].where, f"{methods} {path} address{'es' if len(ops) == 1 else ''} an object by "
                  f"{', '.join(f'`{i}`' for i in ids)} with no documented ownership check.", ops[0])


def is_admin(op: Operation) -> bool:
    words = {*segments(op.path), *(t.lower() for t in op.tags)}
    return bool(words & ADMIN_SEGMENTS) or "admin" in (op.operation_id or "").lower()


def _requirement_key(op: Operation) -> frozenset[tuple[str, frozenset[str]]]:
    return frozenset((name, frozenset(map(str, scopes or ()))) for req in op.security for name, scopes in req.items())


@rule(RuleInfo(
    "authz.admin-shared-scheme", "Admin operation guarded like ordinary ones", Severity.HIGH, "API5:2023", 285,
    "Administrative operations that accept exactly the same credentials as ordinary operations depend "
    "entirely on a role check in code; any ordinary user's token reaches them, and one missing check "
    "is broken function level authorization.",
    "Give admin operations their own security scheme or a dedicated scope (`admin:write`) that ordinary "
    "clients are never granted, and route them separately at the gateway."))
def admin_shared_scheme(ctx: AuditContext) -> Iterator[Hit]:
    ops = [op for op in ctx.operations if not op.webhook]
    ordinary = {_requirement_key(op) for op in ops if not is_admin(op) and op.security}
    for op in ops:
        if is_admin(op) and op.security and _requirement_key(op) in ordinary:
            yield Hit(op.where, f"{op.label} is an admin operation but accepts the same credentials and scopes "
                      "as ordinary operations.", op)
