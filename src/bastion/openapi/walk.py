"""Walking a schema: every subschema reachable through properties, items and combinators.

``$ref``s are followed, each target at most once per walk, so cyclic schemas terminate. Each visit
carries the property path from the root (``("items", "owner", "email")`` uses ``[]`` for array items).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bastion.openapi.refs import Where

if TYPE_CHECKING:
    from bastion.openapi.document import OpenAPIDocument

_COMBINATORS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True, slots=True)
class SchemaNode:
    schema: dict[str, Any]
    where: Where
    path: tuple[str, ...]
    """Property names from the walk's root; ``[]`` stands for array items."""
    required: bool
    """Listed in its parent's ``required`` (always True for the root and array items)."""

    @property
    def name(self) -> str | None:
        """The property name when this node is a property, else None."""
        return self.path[-1] if self.path and self.path[-1] != "[]" else None


def types(schema: dict[str, Any]) -> set[str]:
    """The schema's declared types (3.1 lists and 3.0 strings alike), ``nullable`` not counted."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {str(k) for k in kind if k != "null"}
    return set()


def iter_schema(doc: OpenAPIDocument, schema: Any, where: Where, max_depth: int = 12) -> Iterator[SchemaNode]:
    """Depth-first visits of ``schema`` (found at ``where``) and its subschemas."""
    seen: set[Where] = set()
    stack: list[tuple[Any, Where, tuple[str, ...], bool]] = [(schema, where, (), True)]
    while stack:
        raw, place, path, required = stack.pop()
        if doc.is_31 and isinstance(raw, dict) and "$ref" in raw and len(raw) > 1:
            # 3.1: keywords beside $ref apply too; the merged node belongs to the referring place
            target, _ = doc.resolve(raw, place)
            value = {**target, **{k: v for k, v in raw.items() if k != "$ref"}} if isinstance(target, dict) else raw
        else:
            value, place = doc.resolve(raw, place)
        if not isinstance(value, dict) or place in seen or len(path) > max_depth:
            continue
        seen.add(place)
        yield SchemaNode(value, place, path, required)
        children: list[tuple[Any, Where, tuple[str, ...], bool]] = []
        needed: list[Any] = value["required"] if isinstance(value.get("required"), list) else []
        props = value.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                children.append((sub, place.child("properties", name), (*path, str(name)), name in needed))
        items = value.get("items")
        if isinstance(items, dict):
            children.append((items, place.child("items"), (*path, "[]"), True))
        extra = value.get("additionalProperties")
        if isinstance(extra, dict):
            children.append((extra, place.child("additionalProperties"), (*path, "*"), False))
        for key in _COMBINATORS:
            parts = value.get(key)
            if isinstance(parts, list):
                for index, sub in enumerate(parts):
                    children.append((sub, place.child(key, index), path, required))
        stack.extend(reversed(children))
