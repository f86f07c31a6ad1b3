"""OpenAPI Schema Object -> a self-contained JSON Schema (Draft 2020-12) for jsonschema-rs.

Every ``$ref`` (local or in another file) becomes ``#/$defs/<name>``, so cyclic schemas work; OpenAPI 3.0
quirks are translated: ``nullable``, boolean ``exclusiveMinimum``/``exclusiveMaximum``, and ``$ref``
siblings (ignored in 3.0). OpenAPI-only keywords (``discriminator``, ``xml``, ``example`` ...) are dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from bastion.openapi.refs import Where, target

if TYPE_CHECKING:
    from bastion.openapi.document import OpenAPIDocument

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = ("items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames",
               "unevaluatedProperties", "unevaluatedItems", "additionalItems")
_DROPPED = {"nullable", "discriminator", "xml", "externalDocs", "example", "examples", "$id", "$schema"}


class _Converter:
    def __init__(self, doc: OpenAPIDocument, direction: str | None) -> None:
        self.doc = doc
        self.defs: dict[str, Any] = {}
        self.names: dict[Where, str] = {}
        self.hidden = {"request": "readOnly", "response": "writeOnly"}.get(direction or "")

    def _required(self, node: dict[str, Any], where: Where) -> list[Any]:
        """``required`` minus the properties that do not travel in this direction (OpenAPI semantics)."""
        required, props = node["required"], node.get("properties")
        if not self.hidden or not isinstance(props, dict) or not isinstance(required, list):
            return list(required) if isinstance(required, list) else cast("list[Any]", required)
        keep = []
        for name in required:
            prop, _ = self.doc.resolve(props.get(name), where.child("properties", str(name)))
            if not (isinstance(prop, dict) and prop.get(self.hidden) is True):
                keep.append(name)
        return keep

    def name_for(self, where: Where) -> tuple[str, bool]:
        if where in self.names:
            return self.names[where], False
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", where.pointer.rsplit("/", 1)[-1]) or "root"
        name, n = base, 1
        while name in self.defs:
            n += 1
            name = f"{base}_{n}"
        self.names[where] = name
        self.defs[name] = True  # placeholder while converting (cycles)
        return name, True

    def convert(self, node: Any, where: Where) -> Any:
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            dest = target(node["$ref"], where.file)
            name, fresh = self.name_for(dest)
            if fresh:
                self.defs[name] = self.convert(self.doc.get(dest), dest)
            ref: dict[str, Any] = {"$ref": f"#/$defs/{name}"}
            if not self.doc.is_31:
                return ref
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {**ref, **self.convert(rest, where)} if rest else ref
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROPPED or key.startswith("x-"):
                continue
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {k: self.convert(v, where.child(key, k)) for k, v in value.items()}
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.convert(v, where.child(key, i)) for i, v in enumerate(value)]
            elif key in _SCHEMA_ONE:
                out[key] = self.convert(value, where.child(key))
            elif key == "required" and self.hidden:
                out[key] = self._required(node, where)
            else:
                out[key] = value
        if not self.doc.is_31:
            out = _fix_30(node, out)
        return out


def _fix_30(node: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = out.pop(exclusive, None)
        if flag is True and bound in out:
            out[exclusive] = out.pop(bound)
        elif isinstance(flag, int | float) and not isinstance(flag, bool):
            out[exclusive] = flag
    if node.get("nullable") is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
            if isinstance(out.get("enum"), list) and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        elif kind is None:
            return {"anyOf": [out, {"type": "null"}]}
    return out


def to_json_schema(doc: OpenAPIDocument, schema: Any, where: Where, direction: str | None = None) -> dict[str, Any]:
    """A self-contained Draft 2020-12 JSON Schema for ``schema`` found at ``where`` in ``doc``.

    ``where`` is needed to resolve relative ``$ref``s; pass the schema's place, e.g. ``Resolved.where``.
    ``direction="request"`` drops required ``readOnly`` properties from ``required`` (a client does not
    send them); ``"response"`` does the same for ``writeOnly`` ones.
    """
    converter = _Converter(doc, direction)
    root = converter.convert(schema, where)
    if isinstance(root, bool):
        root = {} if root else {"not": {}}
    result: dict[str, Any] = {"$schema": DIALECT, **root}
    if converter.defs:
        result["$defs"] = {**result.get("$defs", {}), **converter.defs}
    return result
