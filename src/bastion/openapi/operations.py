"""Operations: one per (path template, method), with parameters, bodies and security resolved.

Path-level parameters are merged under the operation's own (the operation wins on the same name and
location); ``security`` is the operation's when it declares one, else the document's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bastion.openapi.refs import Where

if TYPE_CHECKING:
    from bastion.openapi.document import OpenAPIDocument


@dataclass(frozen=True, slots=True)
class Resolved:
    """A value after ``$ref`` resolution, and the place it was found."""

    value: Any
    where: Where


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: str
    """``path``, ``query``, ``header`` or ``cookie``."""
    required: bool
    schema: Resolved | None
    spec: dict[str, Any]
    where: Where


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    """Upper case: ``GET``."""
    path: str
    """The path template (``/orders/{order_id}``), or the webhook name for webhooks."""
    operation_id: str | None
    where: Where
    spec: dict[str, Any]
    parameters: tuple[Parameter, ...]
    request_body: Resolved | None
    responses: dict[str, Resolved]
    security: list[dict[str, list[str]]]
    """Effective security requirements; ``[]`` means none, ``[{}]`` means optional."""
    security_declared_here: bool
    webhook: bool = False
    tags: tuple[str, ...] = field(default=())

    @property
    def pointer(self) -> str:
        return self.where.pointer

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def deprecated(self) -> bool:
        return self.spec.get("deprecated") is True

    def params(self, location: str) -> list[Parameter]:
        return [p for p in self.parameters if p.location == location]


def media_schemas(doc: OpenAPIDocument, body: Resolved) -> Iterator[tuple[str, Resolved]]:
    """``(media type, resolved schema)`` for each entry of a request body's or response's ``content``."""
    content = body.value.get("content") if isinstance(body.value, dict) else None
    if not isinstance(content, dict):
        return
    for media_type, media in content.items():
        if isinstance(media, dict) and "schema" in media:
            where = body.where.child("content", str(media_type), "schema")
            value, where = doc.resolve(media["schema"], where)
            yield str(media_type), Resolved(value, where)


def _parameters(doc: OpenAPIDocument, raw: Any, where: Where) -> dict[tuple[str, str], Parameter]:
    out: dict[tuple[str, str], Parameter] = {}
    if not isinstance(raw, list):
        return out
    for index, item in enumerate(raw):
        spec, place = doc.resolve(item, where.child(index))
        if not isinstance(spec, dict) or "name" not in spec:
            continue
        location = str(spec.get("in", ""))
        schema = None
        if "schema" in spec:
            schema = Resolved(*doc.resolve(spec["schema"], place.child("schema")))
        required = spec.get("required") is True or location == "path"
        name = str(spec["name"])
        out[(name, location)] = Parameter(name, location, required, schema, spec, place)
    return out


def _requirements(raw: Any) -> list[dict[str, list[str]]]:
    """Security requirements with malformed entries dropped and scopes as strings."""
    if not isinstance(raw, list):
        return []
    return [{str(name): [str(s) for s in scopes] if isinstance(scopes, list) else [] for name, scopes in req.items()}
            for req in raw if isinstance(req, dict)]


def _build(doc: OpenAPIDocument, method: str, path: str, item: dict[str, Any], item_where: Where,
           webhook: bool) -> Operation:
    op, where = doc.resolve(item[method], item_where.child(method))
    params = _parameters(doc, item.get("parameters"), item_where.child("parameters"))
    params.update(_parameters(doc, op.get("parameters"), where.child("parameters")))
    body = None
    if "requestBody" in op:
        body = Resolved(*doc.resolve(op["requestBody"], where.child("requestBody")))
    responses: dict[str, Resolved] = {}
    raw_responses = op.get("responses")
    if isinstance(raw_responses, dict):
        for code, response in raw_responses.items():
            responses[str(code)] = Resolved(*doc.resolve(response, where.child("responses", str(code))))
    declared = "security" in op
    security = op.get("security") if declared else doc.data.get("security", [])
    tags = op.get("tags")
    return Operation(
        method=method.upper(),
        path=path,
        operation_id=str(op["operationId"]) if "operationId" in op else None,
        where=where,
        spec=op,
        parameters=tuple(params.values()),
        request_body=body,
        responses=responses,
        security=_requirements(security),
        security_declared_here=declared,
        webhook=webhook,
        tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
    )


def collect(doc: OpenAPIDocument, section: str) -> list[Operation]:
    """Every operation in the root file's ``paths`` or ``webhooks`` map."""
    from bastion.openapi.document import HTTP_METHODS

    paths = doc.data.get(section)
    if not isinstance(paths, dict):
        return []
    out: list[Operation] = []
    base = Where(doc.root, "")
    for path, raw_item in paths.items():
        item, item_where = doc.resolve(raw_item, base.child(section, str(path)))
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                out.append(_build(doc, method, str(path), item, item_where, section == "webhooks"))
    return out
