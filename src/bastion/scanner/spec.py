"""The scanner's view of an OpenAPI document: operations with ``$ref``-free schemas.

Built on ``bastion.openapi``: schemas are inlined (to a bounded depth) so request generation and the
probes read plain dicts, and each documented JSON response gets a compiled validator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs

from bastion.openapi import OpenAPIDocument, Operation, Where, load_document, media_schemas, to_json_schema

PRIVILEGED_WORDS = ("admin", "internal", "manage", "staff", "superuser", "moderat", "backoffice")
ACTION_WORDS = re.compile(r"(?:^|[^a-z])(?:create|populate|seed|reset|init|drop|delete|remove|purge|wipe|truncate|"
                          r"logout|sign-?out)", re.I)


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    location: str
    required: bool
    schema: dict[str, Any]
    example: Any = None


@dataclass(slots=True)
class ScanOperation:
    method: str
    path: str
    operation_id: str
    tags: tuple[str, ...]
    params: list[Param]
    body: dict[str, Any] | None
    """The inlined JSON request-body schema, when the operation takes JSON."""
    responses: dict[str, dict[str, Any] | None]
    """Status (``200``, ``4XX``, ``default``) -> inlined JSON schema (None when no JSON body)."""
    secured: bool
    validators: dict[str, Any] = field(default_factory=dict)
    form: bool = False
    """The body is a form (``application/x-www-form-urlencoded``, as an OAuth2 password grant's is):
    requests carry its fields in ``json`` and the form content type, and are sent form-encoded."""

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def path_params(self) -> list[Param]:
        return [p for p in self.params if p.location == "path"]

    @property
    def privileged(self) -> bool:
        words = " ".join([self.path, self.operation_id, *self.tags]).lower()
        return any(w in words for w in PRIVILEGED_WORDS)

    @property
    def acts(self) -> bool:
        """A GET named like an action (``/createdb``, ``resetDatabase``): calling it may change state, so
        it is never replayed in bursts or read-backs."""
        return self.method == "GET" and bool(ACTION_WORDS.search(self.path + " " + self.operation_id))

    def documents(self, status: int) -> bool:
        keys = {str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"}
        return bool(keys & set(self.responses))

    def validator(self, status: int) -> Any:
        return self.validators.get(str(status)) or self.validators.get(f"{str(status)[0]}XX")


def matches(template: str, path: str) -> bool:
    """Is ``path`` an instance of ``template`` (``/books/dune`` of ``/books/{title}``)?"""
    t, p = template.strip("/").split("/"), path.strip("/").split("/")
    return len(t) == len(p) and all(a == b or a.startswith("{") for a, b in zip(t, p, strict=True))


def template_value(template: str, path: str, param: str) -> str | None:
    """The segment of ``path`` that stands where ``template`` has ``{param}``, if ``path`` matches."""
    if not matches(template, path):
        return None
    pairs = zip(template.strip("/").split("/"), path.strip("/").split("/"), strict=True)
    return next((value for part, value in pairs if part == "{" + param + "}"), None)


def inline(doc: OpenAPIDocument, value: Any, where: Where, depth: int = 0) -> Any:
    """``value`` with every ``$ref`` replaced by its target (cycles stop at depth 8 as ``{}``)."""
    value, where = doc.resolve(value, where)
    if depth > 8:
        return {}
    if isinstance(value, dict):
        return {k: inline(doc, v, where.child(str(k)), depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [inline(doc, v, where.child(i), depth + 1) for i, v in enumerate(value)]
    return value


def _json_media(doc: OpenAPIDocument, resolved: Any) -> tuple[Any, Where] | None:
    for media_type, schema in media_schemas(doc, resolved):
        if "json" in media_type:
            return schema.value, schema.where
    return None


def _form_media(doc: OpenAPIDocument, resolved: Any) -> tuple[Any, Where] | None:
    for media_type, schema in media_schemas(doc, resolved):
        if media_type.startswith("application/x-www-form-urlencoded"):
            return schema.value, schema.where
    return None


def _strip_closed(schema: Any) -> Any:
    """Drop ``additionalProperties: false``: undocumented properties are the exposure probe's call."""
    if isinstance(schema, dict):
        return {k: _strip_closed(v) for k, v in schema.items() if not (k == "additionalProperties" and v is False)}
    if isinstance(schema, list):
        return [_strip_closed(v) for v in schema]
    return schema


def _convert(doc: OpenAPIDocument, op: Operation) -> ScanOperation:
    params = []
    for p in op.parameters:
        schema = inline(doc, p.schema.value, p.schema.where) if p.schema else {}
        example = p.spec.get("example", schema.get("example") if isinstance(schema, dict) else None)
        params.append(Param(p.name, p.location, p.required, schema if isinstance(schema, dict) else {}, example))
    body, form = None, False
    if op.request_body is not None and (found := _json_media(doc, op.request_body)):
        body = inline(doc, *found)
    elif op.request_body is not None and (found := _form_media(doc, op.request_body)):
        body, form = inline(doc, *found), True
    responses: dict[str, dict[str, Any] | None] = {}
    validators: dict[str, Any] = {}
    for status, resolved in op.responses.items():
        found = _json_media(doc, resolved)
        responses[status] = inline(doc, *found) if found else None
        if found:
            try:
                validators[status] = jsonschema_rs.validator_for(_strip_closed(to_json_schema(doc, *found)))
            except (ValueError, jsonschema_rs.ValidationError):
                pass
    return ScanOperation(
        method=op.method, path=op.path, operation_id=op.operation_id or op.label, tags=op.tags,
        params=params, body=body if isinstance(body, dict) else None, responses=responses,
        secured=any(bool(req) for req in op.security), validators=validators, form=form,
    )


def load_operations(path: str | Path) -> list[ScanOperation]:
    doc = load_document(path)
    return [_convert(doc, op) for op in doc.operations()]


def server_base_path(path: str | Path) -> str:
    """The path of the spec's first server URL (``/api/v3`` in ``https://x/api/v3``), without variables."""
    servers = load_document(path).servers
    url = str(servers[0].get("url", "")) if servers else ""
    base = urlsplit(url).path.rstrip("/")
    return "" if "{" in base else base


def target_with_base(target: str, base: str) -> str:
    """``target`` as given when it has a path; else with the spec's server base path appended."""
    if urlsplit(target).path.strip("/") or not base:
        return target
    return target.rstrip("/") + base
