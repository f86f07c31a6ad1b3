"""Request-side hardening of a JSON Schema (Draft 2020-12, as ``openapi.to_json_schema`` returns it).

Two rewrites, applied once at load:

- **No undeclared properties (mass assignment, OWASP API3:2023, CWE-915).** Every object schema that
  declares ``properties`` (or combines subschemas) and says nothing about extra properties gets
  ``unevaluatedProperties: false``. ``unevaluated`` rather than ``additional`` so that ``allOf``
  compositions keep working: the keyword is added to the composing schema, never to its members
  (a member referenced through ``$ref`` gets an *open* twin in ``$defs``). Free-form objects
  (``type: object`` with no properties) stay free-form: the designer said so.
- **No read-only properties in requests.** A property marked ``readOnly: true`` becomes the ``false``
  schema (present → rejected) and is dropped from ``required`` (OpenAPI: required applies to
  responses only for read-only properties).
"""

from __future__ import annotations

from typing import Any

_COMPOSE = ("allOf", "anyOf", "oneOf")
_NESTED_ONE = ("items", "contains", "additionalProperties", "unevaluatedItems", "propertyNames")
_NESTED_MAP = ("patternProperties", "dependentSchemas")
OPEN = "__open"


def harden(schema: dict[str, Any], reject_unknown: bool = True) -> dict[str, Any]:
    """Return a hardened copy of a self-contained schema (its ``$defs`` included)."""
    defs: dict[str, Any] = dict(schema.get("$defs", {}))
    pass_ = _Pass(defs, reject_unknown)
    root: dict[str, Any] = pass_.node({k: v for k, v in schema.items() if k != "$defs"}, strict=True)
    out_defs = {name: pass_.node(value, strict=True) for name, value in defs.items()}
    while pass_.wanted_open:
        name = pass_.wanted_open.pop()
        out_defs[name + OPEN] = pass_.node(defs[name], strict=False)
    if out_defs:
        root["$defs"] = out_defs
    return root


def property_names(schema: Any) -> frozenset[str]:
    """Every property name the schema declares anywhere (its ``$defs`` included)."""
    names: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                names.update(node["properties"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(names)


class _Pass:
    def __init__(self, defs: dict[str, Any], reject_unknown: bool) -> None:
        self.defs = defs
        self.reject_unknown = reject_unknown
        self.wanted_open: set[str] = set()
        self._opened: set[str] = set()

    def node(self, schema: Any, strict: bool) -> Any:
        if not isinstance(schema, dict):
            return schema
        out = dict(schema)
        ref = out.get("$ref")
        if isinstance(ref, str) and not strict and ref.startswith("#/$defs/"):
            name = ref[len("#/$defs/"):]
            if name in self.defs:
                out["$ref"] = ref + OPEN
                if name not in self._opened:
                    self._opened.add(name)
                    self.wanted_open.add(name)
        props = out.get("properties")
        if isinstance(props, dict):
            read_only = {k for k, v in props.items() if self._read_only(v)}
            out["properties"] = {k: False if k in read_only else self.node(v, True) for k, v in props.items()}
            if read_only and isinstance(out.get("required"), list):
                out["required"] = [r for r in out["required"] if r not in read_only]
        for key in _NESTED_ONE:
            if isinstance(out.get(key), dict):
                out[key] = self.node(out[key], True)
        for key in _NESTED_MAP:
            if isinstance(out.get(key), dict):
                out[key] = {k: self.node(v, True) for k, v in out[key].items()}
        if isinstance(out.get("prefixItems"), list):
            out["prefixItems"] = [self.node(v, True) for v in out["prefixItems"]]
        for key in (*_COMPOSE, "then", "else"):
            value = out.get(key)
            if isinstance(value, list):
                out[key] = [self.node(v, False) for v in value]
            elif isinstance(value, dict):
                out[key] = self.node(value, False)
        if strict and self.reject_unknown and self._closable(out):
            out["unevaluatedProperties"] = False
        return out

    def _read_only(self, schema: Any) -> bool:
        if not isinstance(schema, dict):
            return False
        if schema.get("readOnly") is True:
            return True
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = self.defs.get(ref[len("#/$defs/"):])
            return isinstance(target, dict) and target.get("readOnly") is True
        return False

    @staticmethod
    def _closable(schema: dict[str, Any]) -> bool:
        if "additionalProperties" in schema or "unevaluatedProperties" in schema:
            return False
        return "properties" in schema or "patternProperties" in schema or any(k in schema for k in _COMPOSE)
