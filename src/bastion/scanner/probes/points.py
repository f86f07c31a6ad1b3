"""Injection points: every place in a valid request where a payload can go.

Path parameters, query parameters, spec-declared headers and top-level JSON string fields, each with
the valid request it belongs to and the value it had there. DELETE operations are left out: replaying
their valid request would delete real objects; so are credential changes (a password-change replay
would lock the scan's own identity out). ``inject`` puts a payload at a point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import SAFE_METHODS, Flow, ProbeRequest, ProbeResponse, send
from bastion.scanner.probes.accounts import changes_credentials
from bastion.scanner.probes.base import with_value
from bastion.scanner.values import string_properties


@dataclass(frozen=True, slots=True)
class Point:
    request: ProbeRequest
    location: str
    """``path``, ``query``, ``header`` or ``json``."""
    name: str
    value: Any
    path_slot: str = ""
    """For path points: the request path with this parameter's segment replaced by ``{}``."""

    @property
    def label(self) -> str:
        return f"{self.location} parameter '{self.name}'"


def inject(point: Point, payload: Any) -> ProbeRequest:
    if point.location == "path":
        return with_value(point.request, "path", point.path_slot, payload)
    return with_value(point.request, point.location, point.name, payload)


def points(ctx: ScanContext, *, strings_only: bool = False) -> list[Point]:
    out: list[Point] = []
    for op in ctx.operations:
        if (op.method not in SAFE_METHODS and not ctx.allow_unsafe) or op.method == "DELETE" \
                or changes_credentials(op):
            continue
        identity = ctx.prober(op)
        if op.secured and identity is None:
            continue
        base = ctx.baselines.get((op.label, identity or "anon"))
        request = base.request if base is not None else ctx.build(op, identity, purpose="probe")
        if request is None:
            continue
        template, actual = op.path.strip("/").split("/"), request.path.strip("/").split("/")
        for param in op.params:
            is_string = param.schema.get("type", "string") == "string"
            if strings_only and not is_string:
                continue
            if param.location == "path" and len(template) == len(actual):
                index = template.index("{" + param.name + "}")
                slot = "/" + "/".join("{}" if i == index else s for i, s in enumerate(actual))
                out.append(Point(request, "path", param.name, actual[index], slot))
            elif param.location == "query":
                value = dict(request.query).get(param.name, "1" if not is_string else "scan")
                out.append(Point(request, "query", param.name, value))
            elif param.location == "header":
                value = next((v for k, v in request.headers if k.lower() == param.name.lower()), "scan")
                out.append(Point(request, "header", param.name, value))
        if isinstance(request.json, dict):
            for name in string_properties(op.body):
                out.append(Point(request, "json", name, request.json.get(name, "scan")))
    return out


def delayed(point: Point, base: ProbeResponse, template: str, seconds: int) -> Flow:
    """Time-based confirmation: ``template`` with a sleep of ``seconds`` delays the answer and with 0 does
    not, and the sleep delays it again. The repeat keeps a target whose own latency wanders (a request
    that waits on a DNS lookup or an outside fetch) from passing for an injection. Returns the slow
    (request, response), or None."""
    request = inject(point, f"{point.value}{template.format(n=seconds)}")
    slow: ProbeResponse = yield from send(request)
    if slow.elapsed < base.elapsed + seconds - 0.2:
        return None
    quick: ProbeResponse = yield from send(inject(point, f"{point.value}{template.format(n=0)}"))
    if quick.elapsed >= slow.elapsed - (seconds - 0.5):
        return None
    again: ProbeResponse = yield from send(request)
    return (request, slow) if again.elapsed >= quick.elapsed + seconds - 0.2 else None
