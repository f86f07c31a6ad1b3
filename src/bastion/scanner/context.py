"""The state one scan shares between its probes: operations, identities, learned ids, log, findings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from bastion.findings.model import Finding
from bastion.scanner.idbank import IdBank, is_reference, resource_of
from bastion.scanner.messages import FORM, ProbeRequest, ProbeResponse
from bastion.scanner.spec import ScanOperation, template_value
from bastion.scanner.values import example_for, tag_for, unique_values

_PLACEHOLDER = re.compile(r"\{([^}/]+)\}")


@dataclass(slots=True)
class Identity:
    name: str
    headers: tuple[tuple[str, str], ...]
    username: str | None = None
    flow: dict[str, Any] | None = None
    """The login-flow entry this identity logged in with (None for ``--auth`` headers)."""

    @property
    def token(self) -> str | None:
        """The bearer token, when the identity authenticates with one."""
        for key, value in self.headers:
            if key.lower() == "authorization" and value.lower().startswith("bearer "):
                return value[7:].strip()
        return None


@dataclass(slots=True)
class Exchange:
    request: ProbeRequest
    response: ProbeResponse


@dataclass(slots=True)
class ScanContext:
    operations: list[ScanOperation]
    target: str = ""
    """The base URL every request goes to (for evidence and curl lines)."""
    identities: dict[str, Identity] = field(default_factory=dict)
    allow_unsafe: bool = False
    target_scheme: str = "http"
    canary_url: str | None = None
    """``http://127.0.0.1:PORT`` of the engine's canary listener, when it runs one."""
    banks: dict[str, IdBank] = field(default_factory=dict)
    baselines: dict[tuple[str, str], Exchange] = field(default_factory=dict)
    """(operation label, identity or ``anon``) -> a successful baseline exchange."""
    created: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """identity -> (item path template, object path) of the objects the scan created as that identity."""
    log: list[Exchange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    seed: str = ""
    """Varies the values of create requests per scan (recorded in the report, so a scan can be replayed)."""
    callers: dict[str, str] = field(default_factory=dict)
    """operation label -> the identity that probes it instead of A: ``admin``, where A is refused and the
    admin is served (a staff-only operation is still tested for injection and SSRF, as the staff)."""

    def tag(self, identity: str | None) -> str:
        """What this scan adds to ``identity``'s unique values (``book99`` -> ``book99-3fa9c1``)."""
        return tag_for(self.seed, identity or "anon")

    def adopt(self, identity: str, template: str, path: str) -> None:
        """``path`` (an object of the item operation ``template``) was created by this scan as
        ``identity``: remember it for deletion, and make it the first id the identity's requests use."""
        self.created.setdefault(identity, []).append((template, path))
        param = _PLACEHOLDER.findall(template)[-1]
        value = template_value(template, path, param)
        if value is not None:
            self.bank(identity).claim(param, value, resource_of(template.split("{" + param + "}")[0]))

    def bank(self, identity: str | None) -> IdBank:
        name = identity or "anon"
        if name not in self.banks:
            self.banks[name] = IdBank(keys=frozenset(p.name for op in self.operations for p in op.path_params))
        return self.banks[name]

    def mark_secured(self, op: ScanOperation) -> ScanOperation:
        """Treat ``op`` as secured from now on: it refused anonymous calls though the spec declares no
        security for it (many specs omit ``security``). The operation objects are shared, so it is
        replaced in this scan's list rather than changed."""
        secured = replace(op, secured=True)
        self.operations = [secured if o is op else o for o in self.operations]
        return secured

    def has(self, identity: str) -> bool:
        return identity in self.identities

    def prober(self, op: ScanOperation) -> str | None:
        """Who sends the probes of ``op``: nobody for a public operation, else A, or the admin where
        discovery saw A refused and the admin served."""
        if not op.secured:
            return None
        caller = self.callers.get(op.label, "a")
        return caller if self.has(caller) else None

    def add(self, finding: Finding) -> None:
        if all(f.fingerprint != finding.fingerprint for f in self.findings):
            self.findings.append(finding)

    def record(self, request: ProbeRequest, response: ProbeResponse) -> None:
        self.log.append(Exchange(request, response))
        if response.ok and request.purpose in ("baseline", "create"):
            data = response.json()
            if data is not None:
                identity = self.identities.get(request.identity or "")
                self.bank(request.identity).learn(request.path, data, identity.username if identity else None)

    def operation(self, method: str, path: str) -> ScanOperation | None:
        return next((o for o in self.operations if o.method == method and o.path == path), None)

    def fill_path(self, op: ScanOperation, identity: str | None, choice: int = 0) -> str | None:
        """The template with each parameter filled from ``identity``'s ids, or None if one is unknown."""
        path = op.path
        for param in op.path_params:
            values = self.bank(identity).candidates(param.name, op.path)
            if not values:
                if param.example is not None:
                    values = [str(param.example)]
                elif param.schema.get("type") == "integer":
                    values = ["1"]
                else:
                    return None
            path = path.replace("{" + param.name + "}", values[min(choice, len(values) - 1)])
        return None if _PLACEHOLDER.search(path) else path

    def build(self, op: ScanOperation, identity: str | None, *, path: str | None = None,
              purpose: str = "baseline", body: Any = None, query: dict[str, str] | None = None,
              headers: tuple[tuple[str, str], ...] = ()) -> ProbeRequest | None:
        """A valid request for ``op`` (None when a path parameter cannot be filled, or when ``op`` is a GET
        named like an action, such as ``/createdb``: discovery calls those once, no probe replays them)."""
        if op.acts and purpose != "baseline":
            return None
        path = path or self.fill_path(op, identity)
        if path is None:
            return None
        params: dict[str, str] = {}
        extra_headers = list(headers)
        for p in op.params:
            if p.location in ("query", "header") and (p.required or p.example is not None):
                value = p.example if p.example is not None else example_for(p.schema, p.name)
                if p.location == "query":
                    params[p.name] = _text(value)
                else:
                    extra_headers.append((p.name, _text(value)))
        if query:
            params.update(query)
        if body is None and op.body is not None:
            body = example_for(op.body)
            if purpose == "create":  # a second identity's create must not collide on unique fields
                body = unique_values(body, op.body, self.tag(identity))
            banks = (self.bank(identity), self.bank(None))  # public objects (read anonymously) are anyone's
            body = with_references(body, op.body, banks)
        if op.form and body is not None:
            extra_headers.append(("Content-Type", FORM))
        return ProbeRequest(op.method, path, tuple(params.items()), tuple(extra_headers), json=body,
                            identity=identity, purpose=purpose, operation=op.label)


def with_references(body: Any, schema: dict[str, Any], banks: tuple[IdBank, ...], depth: int = 0) -> Any:
    """``body`` with each field that names another object (``menu_item_id``, in arrays of items too) set
    to an id the identity has seen for it; an optional one the scan knows no id for is left out (its
    example, such as ``coupon_id: 1``, names an object that may not exist and fails the whole request)."""
    if depth > 5:
        return body
    if isinstance(body, list) and isinstance(schema.get("items"), dict):
        return [with_references(v, schema["items"], banks, depth + 1) for v in body]
    if not isinstance(body, dict):
        return body
    props = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    out: dict[str, Any] = {}
    for name, value in body.items():
        raw = props.get(name)
        prop: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if is_reference(name) and not isinstance(value, dict | list):
            known = next((v for bank in banks if (v := bank.reference(name)) is not None), None)
            if known is None and name not in required:
                continue
            if known is not None:
                value = int(known) if isinstance(value, int) and known.isdigit() else known
        out[name] = with_references(value, prop, banks, depth + 1)
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
