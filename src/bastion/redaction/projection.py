"""Schema projection: keep only what a (dereferenced) JSON Schema declares; drop everything else.

``compile_schema(schema)`` turns a response schema into a tree of shapes once; ``project(value,
shape)`` copies a document keeping declared properties only. Rules:
- ``properties`` are kept (recursively); an undeclared property is kept only when
  ``additionalProperties`` (or ``patternProperties``) allows it, projected by that schema when it is
  one. An absent ``additionalProperties`` counts as ``false``: minimisation keeps what is declared;
- ``items`` (and ``prefixItems``) project each array element;
- ``allOf`` merges its branches' declarations; ``oneOf``/``anyOf`` pick, per value, the branch whose
  ``const``/``enum`` discriminators match and which declares most of the value's keys;
- a declared scalar that arrives as an object or array raises ``ShapeMismatch`` (never passed through).
Recursive schemas (cycles after dereferencing) compile to cyclic shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


class ShapeMismatch(ValueError):
    """The document has structure where the schema declares a scalar. Carries the path, no values."""


class _Scalar:
    """A declared leaf: keep scalars, refuse structure."""


class _Any:
    """An unconstrained schema (``{}``, ``true``): keep as is."""


SCALAR = _Scalar()
ANY = _Any()
DROP = None

Shape = "ObjectShape | ArrayShape | ChoiceShape | _Scalar | _Any"


@dataclass(eq=False)
class ObjectShape:
    props: dict[str, Any] = field(default_factory=dict)
    extra: Any = DROP
    """Shape for undeclared keys; ``DROP`` removes them."""
    patterns: list[tuple[re.Pattern[str], Any]] = field(default_factory=list)
    required: frozenset[str] = frozenset()
    discriminators: dict[str, frozenset[Any]] = field(default_factory=dict)


@dataclass(eq=False)
class ArrayShape:
    items: Any = ANY
    prefix: list[Any] = field(default_factory=list)


@dataclass(eq=False)
class ChoiceShape:
    branches: list[Any] = field(default_factory=list)


_STRUCTURE = ("properties", "additionalProperties", "patternProperties", "items", "prefixItems",
              "allOf", "oneOf", "anyOf")


def compile_schema(schema: Any) -> Any:
    """Compile a JSON Schema into a shape tree. Local ``$ref``s (``#/$defs/...``, as produced by
    ``bastion.openapi.to_json_schema``) resolve against ``schema`` itself; cycles become cyclic shapes."""
    return _Compiler(schema).compile(schema)


class _Compiler:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.memo: dict[int, Any] = {}
        self.keep: list[Any] = []
        """Dicts made here stay alive while compiling, so an ``id()`` in ``memo`` is never reused."""

    def _made(self, schema: dict[str, Any]) -> dict[str, Any]:
        self.keep.append(schema)
        return schema

    def _deref(self, schema: dict[str, Any]) -> Any:
        ref = schema["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            return True  # not resolvable here: treat as unconstrained rather than guess
        node: Any = self.root
        for part in filter(None, ref[1:].split("/")):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node.get(part) if isinstance(node, dict) else None
        return node if node is not None else True

    def compile(self, schema: Any) -> Any:
        if schema is True or schema is None or (isinstance(schema, dict) and not schema):
            return ANY
        if schema is False or not isinstance(schema, dict):
            return SCALAR
        cached = self.memo.get(id(schema))
        if cached is not None:
            return cached
        if "$ref" in schema:
            rest = {k: v for k, v in schema.items() if k not in ("$ref", "$schema", "$defs")}
            target = self._deref(schema)
            if not rest:
                shape = self.memo[id(schema)] = self.compile(target)
                return shape
            shape = self.memo[id(schema)] = self.compile(self._made({"allOf": [target, self._made(rest)]}))
            return shape
        types = _types(schema)
        if "allOf" in schema:
            return self._all_of(schema)
        for key in ("oneOf", "anyOf"):
            if key in schema and isinstance(schema[key], list):
                choice = ChoiceShape()
                self.memo[id(schema)] = choice
                branches = [self.compile(b) for b in schema[key]]
                choice.branches = [
                    x for b in branches for x in (b.branches if isinstance(b, ChoiceShape) else [b])
                ]
                return choice
        if "object" in types or "properties" in schema or "additionalProperties" in schema:
            obj = ObjectShape()
            self.memo[id(schema)] = obj
            self._fill_object(obj, schema)
            return obj
        if "array" in types or "items" in schema or "prefixItems" in schema:
            arr = ArrayShape()
            self.memo[id(schema)] = arr
            arr.items = self.compile(schema.get("items", True))
            arr.prefix = [self.compile(s) for s in schema.get("prefixItems", [])]
            return arr
        if types:
            return SCALAR
        return ANY if not any(k in schema for k in _STRUCTURE) else SCALAR

    def _fill_object(self, obj: ObjectShape, schema: dict[str, Any]) -> None:
        for name, sub in (schema.get("properties") or {}).items():
            obj.props[name] = self.compile(sub)
            if isinstance(sub, dict):
                if "const" in sub:
                    obj.discriminators[name] = frozenset([_hashable(sub["const"])])
                elif isinstance(sub.get("enum"), list):
                    obj.discriminators[name] = frozenset(_hashable(x) for x in sub["enum"])
        extra = schema.get("additionalProperties", False)
        obj.extra = DROP if extra is False else self.compile(extra)
        for pattern, sub in (schema.get("patternProperties") or {}).items():
            obj.patterns.append((re.compile(pattern), self.compile(sub)))
        obj.required = frozenset(schema.get("required") or ())

    def _all_of(self, schema: dict[str, Any]) -> Any:
        merged = ObjectShape()
        self.memo[id(schema)] = merged
        own = self._made({k: v for k, v in schema.items() if k not in ("allOf", "$schema", "$defs")})
        parts = [own, *schema["allOf"]]
        shapes = [self.compile(p) for p in parts if p not in ({}, True)]
        flat = [b for s in shapes for b in (s.branches if isinstance(s, ChoiceShape) else [s])]
        objects = [s for s in flat if isinstance(s, ObjectShape)]
        if not objects:
            self.memo[id(schema)] = shapes[0] if len(shapes) == 1 else ANY
            return self.memo[id(schema)]
        extras = [s.extra for s in objects]
        merged.extra = DROP if any(e is DROP for e in extras) else extras[0]
        for s in objects:
            for name, sub in s.props.items():
                merged.props.setdefault(name, sub)
            merged.patterns.extend(s.patterns)
            merged.required |= s.required
            merged.discriminators.update(s.discriminators)
        return merged


def _types(schema: dict[str, Any]) -> set[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return {t}
    return {x for x in t if isinstance(x, str)} if isinstance(t, list) else set()


def _hashable(value: Any) -> Any:
    return value if value is _MISSING or isinstance(value, (str, int, float, bool, type(None))) else repr(value)


_MISSING = object()


def project(value: Any, shape: Any, removed: list[int] | None = None) -> Any:
    """A copy of ``value`` keeping only what ``shape`` declares. ``removed[0]`` counts dropped keys."""
    return _project(value, shape, removed if removed is not None else [0])


def _project(value: Any, shape: Any, removed: list[int]) -> Any:
    if shape is ANY:
        return value
    if shape is SCALAR:
        if type(value) is dict or type(value) is list:
            raise ShapeMismatch("structure where the schema declares a scalar")
        return value
    kind = type(shape)
    if kind is ObjectShape:
        if type(value) is not dict:
            if type(value) is list:
                raise ShapeMismatch("array where the schema declares an object")
            return value
        props = shape.props
        out = {}
        for k, v in value.items():
            s = props.get(k, _MISSING)
            if s is _MISSING:
                s = _undeclared(shape, k)
                if s is DROP:
                    removed[0] += 1
                    continue
            if s is SCALAR:
                if type(v) is dict or type(v) is list:
                    raise ShapeMismatch("structure where the schema declares a scalar")
                out[k] = v
            elif s is ANY:
                out[k] = v
            else:
                out[k] = _project(v, s, removed)
        return out
    if kind is ArrayShape:
        if type(value) is not list:
            if type(value) is dict:
                raise ShapeMismatch("object where the schema declares an array")
            return value
        items = shape.items
        if shape.prefix:
            n = len(shape.prefix)
            head = [_project(v, s, removed) for v, s in zip(value[:n], shape.prefix, strict=False)]
            return head + [_project(v, items, removed) for v in value[n:]]
        if items is SCALAR:
            for v in value:
                if type(v) is dict or type(v) is list:
                    raise ShapeMismatch("structure where the schema declares a scalar")
            return value
        return [_project(v, items, removed) for v in value]
    return _project(value, _pick(value, shape), removed)


def _undeclared(shape: ObjectShape, key: str) -> Any:
    for pattern, sub in shape.patterns:
        if pattern.search(key):
            return sub
    return shape.extra


def _pick(value: Any, choice: ChoiceShape) -> Any:
    """The branch of a oneOf/anyOf that ``value`` most plausibly belongs to."""
    if type(value) is list:
        return next((b for b in choice.branches if type(b) is ArrayShape or b is ANY), SCALAR)
    if type(value) is not dict:
        return ANY
    best: Any = None
    best_score = (-1, -1)
    for b in choice.branches:
        if b is ANY:
            score = (1, len(value))
        elif type(b) is ObjectShape:
            if any(_hashable(value.get(k, _MISSING)) not in allowed for k, allowed in b.discriminators.items()
                   if k in b.required or k in value):
                continue
            complete = all(k in value for k in b.required)
            score = (int(complete), sum(1 for k in value if k in b.props))
        else:
            continue
        if score > best_score:
            best, best_score = b, score
    if best is None:
        raise ShapeMismatch("object matches no oneOf/anyOf branch")
    return best
