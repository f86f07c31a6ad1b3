"""Validation errors as ``{pointer, detail}`` items that never echo the caller's input.

jsonschema-rs messages quote the offending value (``"<script>" is not of type "integer"``), so they
are never sent. Each error kind gets a fixed sentence built only from the *schema* (the API owner's
text), and pointer segments taken from the instance (object keys the caller chose) are kept only when
they are plain identifiers; anything else becomes ``~`` (a pointer cannot be used to reflect a
payload back to a browser or a log viewer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

MAX_ERRORS = 20


class BodyError(ValueError):
    """The body is not acceptable; the message is fixed text, never the body's content."""

_SAFE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

_FIXED = {
    "falseSchema": "property is not allowed in requests (read-only or forbidden)",
    "unevaluatedProperties": "undeclared property",
    "additionalProperties": "undeclared property",
    "unevaluatedItems": "undeclared array item",
    "additionalItems": "undeclared array item",
    "enum": "must be one of the allowed values",
    "const": "must equal the allowed value",
    "constant": "must equal the allowed value",
    "pattern": "does not match the required pattern",
    "format": "has the wrong format",
    "anyOf": "does not match any allowed shape",
    "oneOfNotValid": "does not match exactly one allowed shape",
    "oneOfMultipleValid": "matches more than one allowed shape",
    "not": "matches a forbidden shape",
    "uniqueItems": "array items must be unique",
    "contains": "array does not contain a required item",
    "propertyNames": "property name is not allowed",
    "multipleOf": "is not an allowed multiple",
}
_LIMITS = {
    "minimum": "must be >= {limit}", "maximum": "must be <= {limit}",
    "exclusiveMinimum": "must be > {limit}", "exclusiveMaximum": "must be < {limit}",
    "minLength": "must be at least {limit} characters", "maxLength": "must be at most {limit} characters",
    "minItems": "must have at least {limit} items", "maxItems": "must have at most {limit} items",
    "minProperties": "must have at least {limit} properties",
    "maxProperties": "must have at most {limit} properties",
}


def pointer(parts: Iterable[str | int]) -> str:
    out = []
    for part in parts:
        text = str(part)
        out.append(text.replace("~", "~0").replace("/", "~1") if isinstance(part, int) or _SAFE.match(text)
                   else "~")
    return "".join("/" + p for p in out)


def describe(error: Any, declared: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """``(pointer, detail)`` pairs for one jsonschema-rs ``ValidationError``.

    An "unevaluated" property the schema does declare somewhere is left out: it is fallout from
    another error (a failed ``allOf`` member evaluates nothing), reported on its own.
    """
    kind = error.kind
    name: str = kind.name
    info: dict[str, Any] = kind.as_dict()
    base = list(error.instance_path)
    if name in ("unevaluatedProperties", "additionalProperties"):
        keys = [str(k) for k in info.get("unexpected", [])[:MAX_ERRORS] if k not in declared]
        return [(pointer([*base, key]), _FIXED[name]) for key in keys]
    if name == "required":
        prop = info.get("property")
        return [(pointer(base), f"missing required property '{prop}'" if isinstance(prop, str)
                 and _SAFE.match(prop) else "missing required property")]
    if name == "type":
        types = info.get("types")
        wanted = " or ".join(str(t) for t in types) if isinstance(types, list) else "another type"
        return [(pointer(base), f"must be of type {wanted}")]
    if name in _LIMITS:
        return [(pointer(base), _LIMITS[name].format(limit=_number(info.get("limit"))))]
    return [(pointer(base), _FIXED.get(name, "is not valid"))]


def collect(
    errors: Iterable[Any], prefix: Sequence[str] = (), declared: frozenset[str] = frozenset()
) -> list[dict[str, str]]:
    """At most ``MAX_ERRORS`` distinct items, first per pointer wins."""
    seen: set[str] = set()
    items: list[dict[str, str]] = []
    for error in errors:
        for ptr, detail in describe(error, declared):
            full = pointer(prefix) + ptr
            if full in seen:
                continue
            seen.add(full)
            items.append({"pointer": full, "detail": detail})
            if len(items) >= MAX_ERRORS:
                return items
    return items


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, int | float) else "the limit"
