"""``application/x-www-form-urlencoded`` bodies, validated like JSON ones (mass assignment works on forms too).

The body must be percent-encoded ASCII whose escapes decode as UTF-8; each field is converted by the
schema's type for that property (``qty=2`` → 2) and the resulting object goes through the same
hardened validator. A field given twice is refused unless its property is an array (the gateway and
the upstream could otherwise read different copies).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from bastion.validation.messages import BodyError
from bastion.validation.params import deref, node_kinds, scalar

FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 1000


@dataclass(frozen=True, slots=True)
class FormShape:
    kinds: dict[str, tuple[str, str]]
    """Property name → (type, item type), from the schema's top-level properties (``allOf`` included)."""


def form_shape(schema: dict[str, Any]) -> FormShape:
    kinds: dict[str, tuple[str, str]] = {}
    root = deref(schema, schema)
    for node in (root, *(deref(schema, m) for m in root.get("allOf", []) if isinstance(root.get("allOf"), list))):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, prop in props.items():
                kinds.setdefault(name, node_kinds(schema, prop))
    return FormShape(kinds)


def parse_form(body: bytes, shape: FormShape) -> dict[str, Any]:
    """The form as an object for the validator, or ``BodyError``."""
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=True,
                          encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise BodyError("form body must be percent-encoded UTF-8") from None
    except ValueError:
        raise BodyError("malformed form body") from None
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    out: dict[str, Any] = {}
    for key, values in grouped.items():
        kind, item_kind = shape.kinds.get(key, ("string", "string"))
        if kind == "array":
            out[key] = [scalar(item_kind, v) for v in values]
        elif len(values) > 1:
            raise BodyError("form field given more than once")
        else:
            out[key] = scalar(kind, values[0])
    return out
