"""A fast projector: the shape tree of ``projection.py`` turned into straight-line Python, once.

``projector(shape)`` returns ``fn(value, removed) -> value`` equivalent to ``projection.project``
(the property tests check that they agree), but about three times faster on typical responses:
each object shape becomes a function that fetches its declared keys one by one instead of looping
over the document's keys. Objects with ``additionalProperties``/``patternProperties``, ``oneOf`` and
``prefixItems`` fall back to the generic walker.

Only identifiers generated here appear in the source; property names and shapes are passed in the
namespace (``K3_0``, ``SH4``), never spliced into code, so a schema cannot inject code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bastion.redaction.projection import (
    _MISSING,
    ANY,
    DROP,
    SCALAR,
    ArrayShape,
    ChoiceShape,
    ObjectShape,
    ShapeMismatch,
    _project,
)

Projector = Callable[[Any, list[int]], Any]


def _mismatch() -> None:
    raise ShapeMismatch("the document's structure differs from the declared schema")


class _Generator:
    def __init__(self) -> None:
        self.ns: dict[str, Any] = {"M": _MISSING, "S": (dict, list), "MISMATCH": _mismatch,
                                   "generic": _project}
        self.names: dict[int, str] = {}
        self.lines: list[str] = []

    def function(self, shape: Any) -> str:
        name = self.names.get(id(shape))
        if name is not None:
            return name
        name = f"f{len(self.names)}"
        self.names[id(shape)] = name
        if type(shape) is ObjectShape and shape.extra is DROP and not shape.patterns:
            self._object(name, shape)
        elif type(shape) is ObjectShape and not shape.props and not shape.patterns:
            self._map(name, shape)
        elif type(shape) is ArrayShape and not shape.prefix:
            self._array(name, shape)
        elif type(shape) is ChoiceShape and _discriminator(shape) is not None:
            self._choice(name, shape)
        else:
            self.ns[f"SH_{name}"] = shape
            self.lines += [f"def {name}(v, r):", f"    return generic(v, SH_{name}, r)", ""]
        return name

    def _object(self, name: str, shape: ObjectShape) -> None:
        body = [f"def {name}(v, r):", "    if type(v) is not dict:", "        if type(v) is list:",
                "            MISMATCH()", "        return v", "    out = {}", "    g = v.get"]
        nested: list[tuple[str, Any]] = []
        for i, (prop, sub) in enumerate(shape.props.items()):
            key = f"K{name}_{i}"
            self.ns[key] = prop
            body += [f"    x = g({key}, M)", "    if x is not M:"]
            if sub is SCALAR:
                body += ["        if type(x) in S:", "            MISMATCH()", f"        out[{key}] = x"]
            elif sub is ANY:
                body += [f"        out[{key}] = x"]
            elif _scalar_array(sub):
                body += ["        if type(x) is list:", "            for y in x:", "                if type(y) in S:",
                         "                    MISMATCH()", "        elif type(x) is dict:", "            MISMATCH()",
                         f"        out[{key}] = x"]
            elif _leaf_object(sub):
                body += self._inline_leaf(f"{key}", sub)
            else:
                placeholder = f"@{len(nested)}@"
                nested.append((placeholder, sub))
                body += [f"        out[{key}] = {placeholder}(x, r)"]
        body += ["    if len(out) != len(v):", "        r[0] += len(v) - len(out)", "    return out", ""]
        start = len(self.lines)
        self.lines += body
        for placeholder, sub in nested:
            target = self.function(sub)
            self.lines[start:start + len(body)] = [
                ln.replace(placeholder, target) for ln in self.lines[start:start + len(body)]
            ]

    def _inline_leaf(self, key: str, shape: ObjectShape) -> list[str]:
        """A nested object of scalars, projected in the parent's function (saves a call per object)."""
        lines = ["        if type(x) is dict:", "            o = {}"]
        for i, (prop, sub) in enumerate(shape.props.items()):
            sub_key = f"{key}_{i}"
            self.ns[sub_key] = prop
            lines += [f"            y = x.get({sub_key}, M)", "            if y is not M:"]
            if sub is SCALAR:
                lines += ["                if type(y) in S:", "                    MISMATCH()"]
            lines += [f"                o[{sub_key}] = y"]
        lines += ["            if len(o) != len(x):", "                r[0] += len(x) - len(o)",
                  f"            out[{key}] = o", "        elif type(x) is list:", "            MISMATCH()",
                  "        else:", f"            out[{key}] = x"]
        return lines

    def _map(self, name: str, shape: ObjectShape) -> None:
        """``additionalProperties: <schema>`` with no declared properties: a map, every value projected."""
        body = [f"def {name}(v, r):", "    if type(v) is not dict:", "        if type(v) is list:",
                "            MISMATCH()", "        return v"]
        extra = shape.extra
        if extra is ANY:
            self.lines += [*body, "    return v", ""]
        elif extra is SCALAR:
            self.lines += [*body, "    for x in v.values():", "        if type(x) in S:", "            MISMATCH()",
                           "    return v", ""]
        else:
            start = len(self.lines)
            self.lines += [*body, "", ""]
            target = self.function(extra)
            self.lines[start + len(body)] = f"    return {{k: {target}(x, r) for k, x in v.items()}}"

    def _choice(self, name: str, shape: ChoiceShape) -> None:
        """oneOf/anyOf whose object branches share a ``const``/``enum`` property: dispatch on its value."""
        prop, table = _discriminator(shape) or ("", {})
        key, branches = f"K{name}", f"B{name}"
        self.ns[key] = prop
        self.ns[f"SH_{name}"] = shape
        self.ns[branches] = {value: self.function(b) for value, b in table.items()}
        self.lines += [f"def {name}(v, r):", "    if type(v) is dict:", f"        d = v.get({key}, M)",
                       "        if type(d) not in S:", f"            fn = {branches}.get(d)",
                       "            if fn is not None:", "                return fn(v, r)",
                       f"    return generic(v, SH_{name}, r)", ""]

    def finish(self) -> None:
        """Replace branch-name tables by the functions once everything is defined."""
        for k, v in list(self.ns.items()):
            if k.startswith("B") and isinstance(v, dict):
                self.ns[k] = {value: self.ns[fn] for value, fn in v.items()}

    def _array(self, name: str, shape: ArrayShape) -> None:
        body = [f"def {name}(v, r):", "    if type(v) is not list:", "        if type(v) is dict:",
                "            MISMATCH()", "        return v"]
        items = shape.items
        if items is ANY:
            body += ["    return v", ""]
            self.lines += body
        elif items is SCALAR:
            body += ["    for x in v:", "        if type(x) in S:", "            MISMATCH()", "    return v", ""]
            self.lines += body
        else:
            start = len(self.lines)
            self.lines += [*body, "    return [@item@(x, r) for x in v]", ""]
            target = self.function(items)
            self.lines[start + len(body)] = f"    return [{target}(x, r) for x in v]"


def _scalar_array(shape: Any) -> bool:
    return type(shape) is ArrayShape and not shape.prefix and shape.items is SCALAR


def _leaf_object(shape: Any) -> bool:
    return (type(shape) is ObjectShape and shape.extra is DROP and not shape.patterns
            and all(s is SCALAR or s is ANY for s in shape.props.values()))


def _discriminator(shape: ChoiceShape) -> tuple[str, dict[Any, Any]] | None:
    """A property every branch requires with disjoint ``const``/``enum`` values: value → branch."""
    objects = [b for b in shape.branches if type(b) is ObjectShape]
    if not objects or len(objects) != len(shape.branches):
        return None
    for prop in objects[0].discriminators:
        if not all(prop in b.required and prop in b.discriminators for b in objects):
            continue
        table: dict[Any, Any] = {}
        for b in objects:
            for value in b.discriminators[prop]:
                if value in table:
                    break
                table[value] = b
            else:
                continue
            break
        else:
            return prop, table
    return None


def projector(shape: Any) -> Projector:
    """Compile ``shape`` into a projector function (cycles become mutually recursive functions)."""
    if shape is ANY:
        return lambda v, r: v
    gen = _Generator()
    root = gen.function(shape)
    exec("\n".join(gen.lines), gen.ns)  # noqa: S102 - generated from fixed templates; names only
    gen.finish()
    fn: Projector = gen.ns[root]
    return fn
