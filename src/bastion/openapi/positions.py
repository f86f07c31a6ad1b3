"""Source positions of JSON pointers in JSON text, found in one pass of a token scanner.

Composing a 10 MB JSON document into a YAML node tree takes seconds; this scanner reads only strings and
brackets and records the offset of each wanted pointer (the key for object members, the first token of
array items), so a whole report's positions cost one linear scan.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],]')
_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')


def _skip(text: str, start: int) -> int:
    """The offset just past the container opening at ``start`` (strings may hold brackets)."""
    depth = 0
    for match in _BRACKET.finditer(text, start):
        first = match.group()[0]
        if first in "{[":
            depth += 1
        elif first in "}]":
            depth -= 1
            if depth == 0:
                return match.end()
    return len(text)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def ancestors(pointer: str) -> list[str]:
    """``/a/b`` -> ``["", "/a", "/a/b"]``."""
    out = [""]
    index = pointer.find("/", 1)
    while index != -1:
        out.append(pointer[:index])
        index = pointer.find("/", index + 1)
    if pointer:
        out.append(pointer)
    return out


def json_offsets(text: str, pointers: Iterable[str]) -> dict[str, int]:
    """Offsets of the wanted pointers that exist in ``text`` (and of the root, ``""``)."""
    wanted = set(pointers)
    on_path = {a for p in wanted for a in ancestors(p)}
    found: dict[str, int] = {}
    # frame: [is_object, pointer, next index (arrays), expecting a key (objects)]
    stack: list[list[object]] = []
    pending = ""
    tokens = _TOKEN.finditer(text)
    while (match := next(tokens, None)) is not None:
        token = match.group()
        first = token[0]
        if first == '"':
            top = stack[-1] if stack else None
            if top is not None and top[0] and top[3]:
                key = token[1:-1] if "\\" not in token else json.loads(token)
                pending = f"{top[1]}/{_escape(key)}"
                top[3] = False
                if pending in wanted:
                    found[pending] = match.start()
            elif top is not None and not top[0]:
                item = f"{top[1]}/{top[2]}"
                if item in wanted:
                    found.setdefault(item, match.start())
        elif first in "{[":
            if not stack:
                here = ""
            elif stack[-1][0]:
                here = pending
            else:
                here = f"{stack[-1][1]}/{stack[-1][2]}"
                if here in wanted:
                    found.setdefault(here, match.start())
            if not stack:
                found.setdefault("", match.start())
            if stack and here not in on_path:  # nothing wanted inside: jump over the container
                tokens = _TOKEN.finditer(text, _skip(text, match.start()))
                continue
            stack.append([first == "{", here, 0, True])
        elif first in "}]":
            if stack:
                stack.pop()
        elif stack:  # a comma
            top = stack[-1]
            if top[0]:
                top[3] = True
            else:
                top[2] = int(str(top[2])) + 1
    return found


class LineIndex:
    """Offset -> 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1
