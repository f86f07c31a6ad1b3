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


class Declared(Protocol):
    label: str
    """``METHOD /template`` (the data-flow inventory's label: one per operation, however many object ids
    callers use)."""

    def guard(self, status: int) -> Guard | None:
        """The check for an answer with this status, or ``None`` when the status is not declared (rejected)."""
        ...


class Contract(Protocol):
    def find(self, method: str, path: str) -> Declared | None:
        """The declared operation ``path`` falls under, or ``None`` when it is not declared. (Looked up once
        per call: the label and the answer's guard both come from it.)"""
        ...


class EmptyGuard:
    passes_through = False

    def __init__(self, partner: str) -> None:
        self.partner = partner

    def check(self, content_type: str | None, body: bytes) -> tuple[bytes, int]:
        if body.strip():
            raise ResponseRejected(f"partner {self.partner}: body in a response declared without content")
        return b"", 0


class _AnyPath:
    """Every path of one method, under one schema (no finer operation is known)."""

    __slots__ = ("_guard", "label")

    def __init__(self, method: str, guard: Guard) -> None:
        self.label = f"{method} *"
        self._guard = guard

    def guard(self, status: int) -> Guard | None:
        return self._guard


class SchemaContract:
    def __init__(self, guard: ResponseGuard) -> None:
        self._guard = guard
        self._methods: dict[str, _AnyPath] = {}

    def find(self, method: str, path: str) -> Declared | None:
        found = self._methods.get(method)
        if found is None:
            if len(self._methods) >= _MAX_METHODS:  # methods are tokens callers choose: keep the cache bounded
                return _AnyPath(method, self._guard)
            found = self._methods[method] = _AnyPath(method, self._guard)
        return found


_MAX_METHODS = 64


@dataclass(slots=True)
class _Operation:
    method: str
    pattern: re.Pattern[str]
    responses: dict[str, Guard]
    label: str

    def guard(self, status: int) -> Guard | None:
        """Exact code, then ``2XX``, then ``default``."""
        responses = self.responses
        for key in (str(status), f"{status // 100}XX", "DEFAULT"):
            if key in responses:
                return responses[key]
        return None


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

    def find(self, method: str, path: str) -> Declared | None:
        """The first operation (in document order) of this method whose template matches ``path``."""
        for op in self._by_method.get(method, ()):
            if op.pattern.match(path):
                return op
        return None


def _is_json(media: str) -> bool:
    media = media.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _content(response: Any) -> bool:
    return isinstance(response, dict) and bool(response.get("content"))
