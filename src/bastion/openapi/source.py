"""One parsed source file: its data, and a lazy map from JSON pointer to (line, column).

Data is parsed with the fastest parser that fits (orjson for JSON, PyYAML's C loader for YAML).
Positions are found only when asked for: the text is composed once into a YAML node tree (JSON is
YAML), and a pointer is answered by walking down that tree. Big specs therefore pay for positions
only when a finding needs one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
import yaml

from bastion.openapi.positions import LineIndex, ancestors, json_offsets

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class OpenAPIError(Exception):
    """The document cannot be used: bad syntax, unsupported version, or a ``$ref`` that does not resolve."""


def _key(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loading with JSON-compatible results: string keys, timestamps kept as strings."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        raw = super().construct_mapping(node, deep=deep)
        return {k if isinstance(k, str) else _key(k): v for k, v in raw.items()}


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def escape(token: str) -> str:
    if "~" not in token and "/" not in token:  # (nearly every token: walks of big documents make millions)
        return token
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: str | int) -> str:
    """``join("/paths", "/pets", "get")`` -> ``/paths/~1pets/get``."""
    if len(tokens) == 1:
        return pointer + "/" + escape(str(tokens[0]))
    if len(tokens) == 2:
        return pointer + "/" + escape(str(tokens[0])) + "/" + escape(str(tokens[1]))
    return pointer + "".join("/" + escape(str(t)) for t in tokens)


def split(pointer: str) -> list[str]:
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise OpenAPIError(f"invalid JSON pointer {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def lookup(data: Any, pointer: str) -> Any:
    """The value at ``pointer`` in ``data``; KeyError when absent."""
    node = data
    for token in split(pointer):
        if isinstance(node, dict):
            node = node[token]
        elif isinstance(node, list):
            try:
                node = node[int(token)]
            except (ValueError, IndexError):
                raise KeyError(token) from None
        else:
            raise KeyError(token)
    return node


def parse_json(text: str) -> Any:
    """The data if ``text`` is strict JSON, else ``_NOT_JSON``."""
    if text.lstrip().startswith(("{", "[")):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass  # YAML flow style or JSON with a quirk: let YAML try and report
    return _NOT_JSON


_NOT_JSON = object()


def parse_text(text: str, name: str) -> Any:
    """Parse JSON or YAML text; errors name the file and position, never echo content."""
    data = parse_json(text)
    return data if data is not _NOT_JSON else parse_yaml(text, name)[0]


def parse_yaml(text: str, name: str) -> tuple[Any, yaml.Node | None]:
    """The data and its node tree (kept for positions), from one pass of the (C) parser."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise OpenAPIError(f"{name}{where}: cannot parse: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise OpenAPIError(f"{name}: cannot parse: {type(exc).__name__}") from None
    finally:
        loader.dispose()


@dataclass
class SourceFile:
    """A file's name (its absolute path or URI), its text and its parsed data."""

    name: str
    text: str
    data: Any
    is_json: bool = False
    pointer_map: Callable[[str], str] | None = None
    """For converted documents (Swagger 2.0): a pointer in ``data`` -> the pointer in ``text``."""
    _tree: yaml.Node | None = field(default=None, repr=False)
    _known: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    @classmethod
    def parse(cls, name: str, text: str) -> SourceFile:
        data = parse_json(text)
        if data is not _NOT_JSON:
            return cls(name=name, text=text, data=data, is_json=True)
        data, tree = parse_yaml(text, name)
        return cls(name=name, text=text, data=data, _tree=tree)

    def positions(self, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Positions of many pointers at once (one scan of the text for JSON)."""
        wanted = [p for p in dict.fromkeys(pointers) if p not in self._known]
        source = {p: self.pointer_map(p) if self.pointer_map else p for p in wanted}
        if wanted and self.is_json:
            offsets = json_offsets(self.text, {a for p in source.values() for a in ancestors(p)})
            lines = LineIndex(self.text)
            for pointer in wanted:
                best = max((a for a in ancestors(source[pointer]) if a in offsets), key=len, default="")
                self._known[pointer] = lines.at(offsets.get(best, 0))
        for pointer in wanted:
            if pointer not in self._known:
                self._known[pointer] = self._yaml_position(source[pointer])
        return {p: self._known[p] for p in pointers}

    def position(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of ``pointer``: the key that holds its value in a mapping, the item in a
        sequence; for a pointer that does not exist, the position of its nearest existing ancestor."""
        return self.positions([pointer])[pointer]

    def _yaml_position(self, pointer: str) -> tuple[int, int]:
        if self._tree is None:
            self._tree = yaml.compose(self.text, Loader=_Loader)
        node = self._tree
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for token in split(pointer):
            found = _child(node, token)
            if found is None:
                break
            node, mark = found
        return (mark.line + 1, mark.column + 1)


def _child(node: yaml.Node, token: str) -> tuple[yaml.Node, yaml.Mark] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == token:
                return value, key.start_mark
        return None
    if isinstance(node, yaml.SequenceNode):
        try:
            item = node.value[int(token)]
        except (ValueError, IndexError):
            return None
        return item, item.start_mark
    return None
