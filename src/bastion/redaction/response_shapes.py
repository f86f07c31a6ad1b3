"""Find and compile the declared response schema of an OpenAPI operation, once per combination.

``ResponseShapes(doc).lookup(method, template, path, status, content_type)`` returns the compiled
projectors (``projector.py`` in Python, ``native.py`` in C when the schema allows) or raises
``UndeclaredResponse``.
The operation is found by method and matched path template, else by matching the request path
against the document's templates; the status by exact code, then ``2XX``-style range, then
``default``; the media type by exact match, then ``application/json`` for any ``+json`` type, then
wildcards. Cache keys use the *declared* names, so an upstream cannot grow the cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bastion.openapi import OpenAPIDocument, Operation, media_schemas, to_json_schema
from bastion.redaction.native import native_projector
from bastion.redaction.projection import compile_schema
from bastion.redaction.projector import Projector, projector


class UndeclaredResponse(LookupError):
    """The operation, status code or media type is not in the document."""


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", template)
    body = "".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
    return re.compile(body + "/?$")


@dataclass(frozen=True, slots=True)
class CompiledResponse:
    python: Projector
    """``fn(doc, removed) -> doc`` over parsed JSON (counts removed keys)."""
    native: Callable[[bytes], bytes] | None
    """``fn(body) -> body`` in C (msgspec), when the schema can be expressed there."""


class ResponseShapes:
    def __init__(self, doc: OpenAPIDocument, native: bool = True) -> None:
        self.doc = doc
        self.use_native = native
        self.by_key: dict[tuple[str, str], Operation] = {}
        self.patterns: list[tuple[re.Pattern[str], Operation]] = []
        for op in doc.operations():
            self.by_key[(op.method, op.path)] = op
            self.patterns.append((_template_regex(op.path), op))
        # literal templates before parameterised ones, as routing does
        self.patterns.sort(key=lambda p: p[1].path.count("{"))
        self._cache: dict[tuple[str, str, str, str], CompiledResponse] = {}
        self._json_schemas: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self._declared: dict[tuple[str, str, str], list[str]] = {}

    def operation(self, method: str, template: str, path: str) -> Operation | None:
        op = self.by_key.get((method, template))
        if op is not None:
            return op
        for regex, candidate in self.patterns:
            if candidate.method == method and regex.match(path):
                return candidate
        return None

    def lookup(self, method: str, template: str, path: str, status: int, content_type: str) -> CompiledResponse:
        """The compiled projectors; raises ``UndeclaredResponse`` when nothing is declared for it."""
        op = self.operation(method, template, path)
        if op is None:
            raise UndeclaredResponse("operation not in the document")
        code = _status_key(op, status)
        declared = self._declared.get((op.method, op.path, code))
        if declared is None:
            declared = [name for name, _ in media_schemas(self.doc, op.responses[code])]
            self._declared[(op.method, op.path, code)] = declared
        media = _media_key(declared, content_type)
        key = (op.method, op.path, code, media)
        compiled = self._cache.get(key)
        if compiled is None:
            shape = compile_schema(self.json_schema(op, code, media))
            native = native_projector(shape) if self.use_native else None
            compiled = self._cache[key] = CompiledResponse(projector(shape), native)
        return compiled

    def json_schema(self, op: Operation, code: str, media: str) -> dict[str, Any]:
        """The self-contained JSON Schema of one declared response (also used by tests to validate)."""
        key = (op.method, op.path, code, media)
        if key not in self._json_schemas:
            for name, resolved in media_schemas(self.doc, op.responses[code]):
                if name == media:
                    self._json_schemas[key] = to_json_schema(self.doc, resolved.value, resolved.where)
                    break
            else:
                raise UndeclaredResponse("no schema for this media type")
        return self._json_schemas[key]


def _status_key(op: Operation, status: int) -> str:
    for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        if key in op.responses:
            return key
    raise UndeclaredResponse("status code not declared")


def _media_key(declared: list[str], content_type: str) -> str:
    if not declared:
        raise UndeclaredResponse("response declares no content")
    media = content_type.split(";", 1)[0].strip().lower()
    main = media.split("/", 1)[0]
    lowered = {d.lower(): d for d in declared}
    candidates = [media]
    if media.endswith("+json"):
        candidates.append("application/json")
    candidates += [f"{main}/*", "*/*"]
    for c in candidates:
        if c in lowered:
            return lowered[c]
    raise UndeclaredResponse("media type not declared")
