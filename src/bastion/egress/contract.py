"""What callers may ask a partner and what the partner may answer: one JSON Schema, or its OpenAPI.

A ``SchemaContract`` declares every operation and checks every successful JSON answer against one
schema. An ``OpenApiContract`` (``response.openapi: <name>``) declares only the operations in the
partner's OpenAPI document — a call to anything else is refused before the partner is contacted —
and checks each answer against the schema of that operation's response for the status received
(exact code, then ``2XX``, then ``default``). A response declared without content must be empty.
Paths are matched against the templates relative to the partner's ``url``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from bastion.egress.errors import ResponseRejected
from bastion.egress.validation import Inspector, ResponseGuard
from bastion.openapi import OpenAPIDocument, media_schemas, to_json_schema

_PARAM = re.compile(r"\\\{[^}/]+\\\}")


class Guard(Protocol):
    passes_through: bool
    """True when ``check`` would return the body unchanged whatever it is (unvalidated by configuration)."""

    def check(self, content_type: str | None, body: bytes) -> tuple[bytes, int]: ...


class Contract(Protocol):
    def operation(self, method: str, path: str) -> str | None:
        """The declared operation ``path`` falls under, as ``METHOD /template`` (the data-flow inventory's
        label: one per operation, however many object ids callers use), or ``None`` when not declared."""
        ...

    def guard(self, method: str, path: str, status: int) -> Guard | None:
        """The check for this answer, or ``None`` when the status is not declared (rejected)."""
        ...


class EmptyGuard:
    passes_through = False

    def __init__(self, partner: str) -> None:
        self.partner = partner

    def check(self, content_type: str | None, body: bytes) -> tuple[bytes, int]:
        if body.strip():
            raise ResponseRejected(f"partner {self.partner}: body in a response declared without content")
        return b"", 0


class SchemaContract:
    def __init__(self, guard: ResponseGuard) -> None:
        self._guard = guard

    def operation(self, method: str, path: str) -> str | None:
        return f"{method} *"  # one schema for every path: no finer operation is known

    def guard(self, method: str, path: str, status: int) -> Guard | None:
        return self._guard


@dataclass(slots=True)
class _Operation:
    method: str
    pattern: re.Pattern[str]
    responses: dict[str, Guard]
    label: str


class OpenApiContract:
    def __init__(self, partner: str, doc: OpenAPIDocument, *, inspect: bool = True,
                 inspector: Inspector | None = None) -> None:
        self.partner = partner
        self.operations: list[_Operation] = []
        self._by_method: dict[str, list[_Operation]] = {}
        for op in doc.operations():
            pattern = re.compile("^" + _PARAM.sub("[^/]+", re.escape(op.path)) + "$")
            responses: dict[str, Guard] = {}
            for code, resolved in op.responses.items():
                schemas = [s for media, s in media_schemas(doc, resolved) if _is_json(media)]
                if schemas:
                    schema: dict[str, Any] = to_json_schema(doc, schemas[0].value, schemas[0].where)
                    responses[code.upper()] = ResponseGuard(partner, schema, inspect=inspect, inspector=inspector)
                elif not _content(resolved.value):
                    responses[code.upper()] = EmptyGuard(partner)
            self.operations.append(_Operation(op.method, pattern, responses, f"{op.method} {op.path}"))
            self._by_method.setdefault(op.method, []).append(self.operations[-1])

    def _find(self, method: str, path: str) -> _Operation | None:
        """The first operation (in document order) of this method whose template matches ``path``."""
        return next((o for o in self._by_method.get(method, ()) if o.pattern.match(path)), None)

    def operation(self, method: str, path: str) -> str | None:
        op = self._find(method, path)
        return None if op is None else op.label

    def guard(self, method: str, path: str, status: int) -> Guard | None:
        op = self._find(method, path)
        if op is None:
            return None
        for key in (str(status), f"{status // 100}XX", "DEFAULT"):
            if key in op.responses:
                return op.responses[key]
        return None


def _is_json(media: str) -> bool:
    media = media.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _content(response: Any) -> bool:
    return isinstance(response, dict) and bool(response.get("content"))
