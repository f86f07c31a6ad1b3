"""The probe contract, and the few steps most probes share.

A probe is a class with a stable kebab-case ``id``, a ``phase`` (the engine runs phases in order and
the probes of one phase concurrently) and ``run(ctx)``, a generator that yields requests and records
findings on ``ctx`` as it confirms them (so an interrupted scan keeps what it found).

Phases: 0 discovery; 1 read-only checks; 2, 3 and 4 the timing checks (SQL, OS command, ReDoS), each
alone so that no other probe's load skews its measurements; 5 checks that write; 6 bursts (rate
limits, attempt limits) that may lock accounts; 7 passive analysis of everything logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Protocol

from bastion.findings.model import Severity
from bastion.scanner.catalogue import finding
from bastion.scanner.context import Exchange, ScanContext
from bastion.scanner.evidence import evidence
from bastion.scanner.messages import Flow, ProbeRequest, ProbeResponse
from bastion.scanner.spec import ScanOperation


class Probe(Protocol):
    id: ClassVar[str]
    phase: ClassVar[int]

    def run(self, ctx: ScanContext) -> Flow: ...


def report(ctx: ScanContext, rule: str, message: str, request: ProbeRequest,
           response: ProbeResponse | None, *, notes: str = "", operation: str = "",
           severity: Severity | None = None) -> None:
    ctx.add(finding(rule, message, operation=operation or request.operation, method=request.method,
                    url=request.path, evidence=evidence(ctx.target, request, response, notes), severity=severity))


def baselines(ctx: ScanContext, identity: str, ops: Iterable[ScanOperation]) -> list[tuple[ScanOperation, Exchange]]:
    """The operations among ``ops`` that answered 2xx to ``identity``'s baseline request."""
    out = []
    for op in ops:
        found = ctx.baselines.get((op.label, identity))
        if found is not None:
            out.append((op, found))
    return out


def leaves(data: Any, out: set[str] | None = None, depth: int = 0) -> set[str]:
    """Scalar values in a JSON document, as strings (short and boolean ones left out)."""
    out = set() if out is None else out
    if depth > 8:
        return out
    if isinstance(data, dict):
        for value in data.values():
            leaves(value, out, depth + 1)
    elif isinstance(data, list):
        for value in data[:100]:
            leaves(value, out, depth + 1)
    elif isinstance(data, str | int | float) and not isinstance(data, bool):
        text = str(data)
        if len(text) >= 3:
            out.add(text)
    return out


def own_leaves(ctx: ScanContext, identity: str) -> set[str]:
    """Values in ``identity``'s baseline answers from non-privileged operations: what it may see anyway."""
    out: set[str] = set()
    for op in ctx.operations:
        found = ctx.baselines.get((op.label, identity))
        if found is not None and not op.privileged:
            leaves(found.response.json(), out)
    return out


def shows_victim_data(victim: Any, attacker: Any, attacker_own: set[str]) -> set[str]:
    """Values of the victim's document found in the attacker's response, which the attacker never owned."""
    victim_values = victim if isinstance(victim, set) else leaves(victim)
    return (victim_values & leaves(attacker)) - attacker_own


def with_value(request: ProbeRequest, location: str, name: str, value: Any, *, purpose: str = "probe") -> ProbeRequest:
    """``request`` with one parameter or JSON field replaced."""
    from dataclasses import replace

    if location == "query":
        query = (*((k, v) for k, v in request.query if k != name), (name, str(value)))
        return replace(request, query=query, purpose=purpose)
    if location == "header":
        headers = (*((k, v) for k, v in request.headers if k.lower() != name.lower()), (name, str(value)))
        return replace(request, headers=headers, purpose=purpose)
    if location == "path":
        return replace(request, path=name.replace("{}", str(value)), purpose=purpose)
    body = dict(request.json) if isinstance(request.json, dict) else {}
    body[name] = value
    return replace(request, json=body, purpose=purpose)
