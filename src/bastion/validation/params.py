"""Path, query, header and cookie parameters: compiled once per operation, checked per request.

Values arrive as strings; each is converted to the schema's type (``"42"`` → 42 for an integer) before
validation, and left as a string when it does not convert (the validator then reports the type).
Arrays follow the default styles: repeated keys for query and cookie (``explode: true``), commas for
path and header, or commas when ``explode: false``. A non-array parameter given twice is refused
(HTTP parameter pollution: the gateway and the upstream could read different copies). Object-valued
parameters (``deepObject`` ...) are checked for presence only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bastion.openapi import OpenAPIDocument, Parameter, to_json_schema
from bastion.validation.compiled import compile_schema
from bastion.validation.messages import collect, pointer

_INT = re.compile(r"^-?(0|[1-9][0-9]{0,18})$")
_NUM = re.compile(r"^-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?$")
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


@dataclass(frozen=True, slots=True)
class ParamRule:
    name: str
    location: str
    required: bool
    validator: Any | None
    kind: str
    item_kind: str
    explode: bool


def compile_param(doc: OpenAPIDocument, param: Parameter) -> ParamRule | None:
    name = param.name.lower() if param.location == "header" else param.name
    if param.location == "header" and name in IGNORED_HEADERS:
        return None
    validator, kind, item_kind = None, "string", "string"
    if param.schema is not None:
        schema = to_json_schema(doc, param.schema.value, param.schema.where)
        kind, item_kind = node_kinds(schema, schema)
        if kind != "object":
            validator = compile_schema(schema)
    explode = param.spec.get("explode", param.location in ("query", "cookie")) is True
    return ParamRule(name, param.location, param.required, validator, kind, item_kind, explode)


def check(rules: Sequence[ParamRule], values: Mapping[str, Mapping[str, list[str]]]) -> list[dict[str, str]]:
    """``{pointer, detail, in}`` errors for every rule against the request's ``values[location][name]``."""
    errors: list[dict[str, str]] = []
    for rule in rules:
        found = values[rule.location].get(rule.name)
        where = {"pointer": pointer((rule.name,)), "in": rule.location}
        if not found:
            if rule.required:
                errors.append({**where, "detail": f"missing required {rule.location} parameter"})
            continue
        if rule.kind != "array" and len(found) > 1:
            errors.append({**where, "detail": "parameter given more than once"})
            continue
        if rule.validator is None:
            continue
        value = _convert(rule, found)
        if not rule.validator.is_valid(value):
            errors.extend({**e, "in": rule.location} for e in collect(rule.validator.iter_errors(value),
                                                                       (rule.name,)))
    return errors


def _convert(rule: ParamRule, found: list[str]) -> Any:
    if rule.kind != "array":
        return scalar(rule.kind, found[0])
    items = found if rule.explode and rule.location in ("query", "cookie") else found[0].split(",")
    return [scalar(rule.item_kind, item) for item in items]


def scalar(kind: str, text: str) -> Any:
    if kind == "integer" and _INT.match(text):
        return int(text)
    if kind == "number" and _NUM.match(text):
        return float(text) if any(c in text for c in ".eE") else int(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def node_kinds(schema: dict[str, Any], node: Any) -> tuple[str, str]:
    """The first declared type of ``node`` (inside ``schema``), and of its items for arrays."""
    root = deref(schema, node)
    kind = _first_type(root)
    items = deref(schema, root.get("items")) if kind == "array" else {}
    return kind, _first_type(items)


def deref(schema: dict[str, Any], node: Any) -> dict[str, Any]:
    for _ in range(8):
        if not isinstance(node, dict):
            return {}
        ref = node.get("$ref")
        if not (isinstance(ref, str) and ref.startswith("#/$defs/")):
            return node
        node = schema.get("$defs", {}).get(ref[len("#/$defs/"):])
    return {}


def _first_type(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if isinstance(kind, str):
        return kind
    if "enum" in node and all(isinstance(v, int) and not isinstance(v, bool) for v in node["enum"]):
        return "integer"
    return "string"
