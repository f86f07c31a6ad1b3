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

from collections.abc import Callable
from typing import Any

import jsonschema_rs
import orjson

from bastion.egress.errors import ResponseRejected
from bastion.redaction.projection import ShapeMismatch, compile_schema, project

Inspector = Callable[[str], str | None]
"""Returns the attack class found in one string, or ``None``."""

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


def default_inspector() -> Inspector:
    try:
        from bastion.detection import Context, Engine  # type: ignore[attr-defined,unused-ignore]

        engine = Engine()
        ctx = Context(kind="body", name="")
    except Exception:  # the waf engine is optional here: fall back to the built-in markers
        return marker_inspector

    def inspect(value: str) -> str | None:
        found = engine.inspect(value, ctx)
        return None if found is None else str(found.rule.attack)

    return inspect


class ResponseGuard:
    def __init__(self, partner: str, schema: dict[str, Any] | None, *, inspect: bool = True,
                 allow_unvalidated: bool = False, inspector: Inspector | None = None) -> None:
        self.partner = partner
        self.allow_unvalidated = allow_unvalidated
        self.inspector = (inspector or default_inspector()) if inspect else None
        self.validator: Any = None
        self.shape: Any = None
        if schema is not None:
            resolved = jsonschema_rs.dereference(schema)
            self.validator = jsonschema_rs.validator_for(resolved)
            self.shape = compile_schema(resolved)

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
        error = next(iter(self.validator.iter_errors(doc)), None)
        if error is not None:
            where = "/" + "/".join(str(p) for p in error.instance_path)
            raise ResponseRejected(f"partner {self.partner}: response fails its schema at {where}")
        removed = [0]
        try:
            kept = project(doc, self.shape, removed)
        except ShapeMismatch as exc:
            raise ResponseRejected(f"partner {self.partner}: {exc}") from None
        if self.inspector is not None:
            self._inspect(kept, "", 0)
        return orjson.dumps(kept), removed[0]

    def _inspect(self, value: Any, where: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ResponseRejected(f"partner {self.partner}: response nests deeper than {MAX_DEPTH}")
        assert self.inspector is not None
        if isinstance(value, str):
            attack = self.inspector(value)
            if attack is not None:
                raise ResponseRejected(f"partner {self.partner}: {attack} payload in response field {where or '/'}")
        elif isinstance(value, dict):
            for k, v in value.items():
                self._inspect(k, f"{where}/{k}", depth + 1)
                self._inspect(v, f"{where}/{k}", depth + 1)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self._inspect(v, f"{where}/{i}", depth + 1)
