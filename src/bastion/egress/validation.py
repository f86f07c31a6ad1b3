"""Unsafe consumption of APIs (OWASP API10): what a partner sends back is checked before the caller sees it.

``ResponseGuard.check`` fails closed with ``ResponseRejected`` when a successful response is not the
declared JSON, does not satisfy the partner's schema (types, patterns, lengths, required fields), or
carries injection payloads in any string (keys included). Undeclared fields are removed with the same
schema projection the ``minimize`` policy uses (``redaction.projection``), so a partner that starts
sending ``internal_notes`` or ``__proto__`` cannot push them into the caller's database.

String inspection uses ``bastion.detection.Engine`` when it is available; otherwise a small set of
high-signal markers (script and event-handler HTML, SQL stacking/tautologies, template and JNDI/EL
expressions), matched as plain lower-cased substrings (no backtracking regex).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from itertools import islice
from typing import Any

import jsonschema_rs
import orjson

from bastion.egress.errors import ResponseRejected
from bastion.redaction.projection import ShapeMismatch, compile_schema, project

Inspector = Callable[[str], str | None]
"""Returns the attack class found in one string, or ``None``."""
ManyInspector = Callable[[list[str]], "tuple[int, str] | None"]
"""The index of the first string with an attack, and its class; ``None`` when none has one."""

_MARKERS: tuple[tuple[str, str], ...] = (
    ("<script", "xss"), ("javascript:", "xss"), ("onerror=", "xss"), ("onload=", "xss"), ("<iframe", "xss"),
    ("<svg", "xss"), ("' or '1'='1", "sqli"), ("' or 1=1", "sqli"), ("; drop table", "sqli"),
    ("union select", "sqli"), ("'; --", "sqli"), ("${jndi:", "jndi"), ("{{", "template"), ("{%", "template"),
    ("#{", "expression"), ("$(", "shell"),
)
MAX_DEPTH = 64


def marker_inspector(value: str) -> str | None:
    low = value.lower()
    for marker, attack in _MARKERS:
        if marker in low:
            return attack
    return None


def one_by_one(inspector: Inspector) -> ManyInspector:
    """A ``ManyInspector`` that asks ``inspector`` about each string in turn."""

    def inspect_many(values: list[str]) -> tuple[int, str] | None:
        for index, value in enumerate(values):
            attack = inspector(value)
            if attack is not None:
                return index, attack
        return None

    return inspect_many


@cache
def _shared_engine() -> tuple[Any, Any] | None:
    """One waf engine for every guard (it is pure and thread-safe), or ``None`` without it."""
    try:
        from bastion.detection import Context, Engine  # type: ignore[attr-defined,unused-ignore]

        return Engine(), Context(kind="body", name="")
    except Exception:  # the waf engine is optional here: fall back to the built-in markers
        return None


def default_inspector() -> Inspector:
    shared = _shared_engine()
    if shared is None:
        return marker_inspector
    engine, ctx = shared

    def inspect(value: str) -> str | None:
        found = engine.inspect(value, ctx)
        return None if found is None else str(found.rule.attack)

    return inspect


def default_many_inspector() -> ManyInspector:
    """The waf engine over all strings at once (``Engine.first``: one prefilter pass for the plain ones),
    with the same answers as ``default_inspector`` string by string; the markers without the engine."""
    shared = _shared_engine()
    if shared is None:
        return one_by_one(marker_inspector)
    engine, ctx = shared

    def inspect_many(values: list[str]) -> tuple[int, str] | None:
        found = engine.first([("", value, ctx) for value in values])
        return None if found is None else (found[0], str(found[1].rule.attack))

    return inspect_many


class ResponseGuard:
    def __init__(self, partner: str, schema: dict[str, Any] | None, *, inspect: bool = True,
                 allow_unvalidated: bool = False, inspector: Inspector | None = None) -> None:
        self.partner = partner
        self.allow_unvalidated = allow_unvalidated
        self.inspect_many: ManyInspector | None = None
        if inspect:
            self.inspect_many = one_by_one(inspector) if inspector is not None else default_many_inspector()
        self.validator: Any = None
        self.shape: Any = None
        self.clean: frozenset[str] = frozenset()
        """Strings the schema itself names (property names, ``enum`` and ``const`` values) that the
        inspector passes: inspection is a pure function of the string, so they are not asked again."""
        if schema is not None:
            resolved = jsonschema_rs.dereference(schema)
            self.validator = jsonschema_rs.validator_for(resolved)
            self.shape = compile_schema(resolved)
            if self.inspect_many is not None:
                self.clean = frozenset(s for s in _schema_strings(resolved) if self.inspect_many([s]) is None)
        self.passes_through = self.validator is None and allow_unvalidated

    def check(self, content_type: str | None, body: bytes) -> tuple[bytes, int]:
        """The body the caller may receive and the number of undeclared fields removed."""
        if self.validator is None:
            if self.allow_unvalidated:
                return body, 0
            raise ResponseRejected(f"partner {self.partner}: no response schema configured")
        media = (content_type or "").split(";", 1)[0].strip().lower()
        if media != "application/json" and not media.endswith("+json"):
            raise ResponseRejected(f"partner {self.partner}: response is {media or 'untyped'}, not JSON")
        try:
            doc = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise ResponseRejected(f"partner {self.partner}: response body is not valid JSON") from None
        if not self.validator.is_valid(doc):  # the common case answers without building errors
            error = next(iter(self.validator.iter_errors(doc)), None)
            if error is not None:
                where = "/" + "/".join(str(p) for p in error.instance_path)
                raise ResponseRejected(f"partner {self.partner}: response fails its schema at {where}")
        removed = [0]
        try:
            kept = project(doc, self.shape, removed)
        except ShapeMismatch as exc:
            raise ResponseRejected(f"partner {self.partner}: {exc}") from None
        if self.inspect_many is not None:
            self._inspect(kept)
        return orjson.dumps(kept), removed[0]

    def _inspect(self, doc: Any) -> None:
        """Every string (keys included) but the known clean ones, in one call; the failing field is
        located only on a finding."""
        values: list[str] = []
        too_deep = _strings(doc, values, 0, self.clean)
        assert self.inspect_many is not None
        found = self.inspect_many(values) if values else None
        if found is not None:
            where = next(islice(_pointers(doc, "", self.clean), found[0], None))
            raise ResponseRejected(f"partner {self.partner}: {found[1]} payload in response field {where or '/'}")
        if too_deep:
            raise ResponseRejected(f"partner {self.partner}: response nests deeper than {MAX_DEPTH}")


def _strings(value: Any, out: list[str], depth: int, skip: frozenset[str]) -> bool:
    """Append the strings of ``value`` not in ``skip``, depth first, each key before its value; True when
    a level below ``MAX_DEPTH`` was reached (the strings before it are in ``out``, the rest are not)."""
    kind = type(value)
    if kind is str:
        if value not in skip:
            out.append(value)
    elif kind is dict:
        if value and depth >= MAX_DEPTH:
            return True
        for k, v in value.items():
            if k not in skip:
                out.append(k)
            if type(v) is str:
                if v not in skip:
                    out.append(v)
            elif _strings(v, out, depth + 1, skip):
                return True
    elif kind is list:
        if value and depth >= MAX_DEPTH:
            return True
        for v in value:
            if type(v) is str:
                if v not in skip:
                    out.append(v)
            elif _strings(v, out, depth + 1, skip):
                return True
    return False


def _pointers(value: Any, where: str, skip: frozenset[str]) -> Iterator[str]:
    """The pointer of each string ``_strings`` lists, in the same order (a key names its own member)."""
    kind = type(value)
    if kind is str:
        if value not in skip:
            yield where
    elif kind is dict:
        for k, v in value.items():
            here = f"{where}/{k}"
            if k not in skip:
                yield here
            yield from _pointers(v, here, skip)
    elif kind is list:
        for i, v in enumerate(value):
            yield from _pointers(v, f"{where}/{i}", skip)


def _schema_strings(schema: Any) -> set[str]:
    """Property names, ``enum`` and ``const`` strings anywhere in a (possibly cyclic) schema."""
    found: set[str] = set()
    seen: set[int] = set()
    todo = [schema]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                found.update(k for k in props if isinstance(k, str))
            enum = node.get("enum")
            if isinstance(enum, list):
                found.update(v for v in enum if isinstance(v, str))
            if isinstance(node.get("const"), str):
                found.add(node["const"])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return found
