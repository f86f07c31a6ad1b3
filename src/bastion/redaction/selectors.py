"""Field selectors: dotted paths into a JSON document, anchored at the root.

Syntax: ``customer.email``, ``items[].card_number`` (``[]`` or ``[*]`` = every array element),
``*`` = any one key, ``**`` = any depth (zero or more keys or elements). ``**.password`` matches a
``password`` field anywhere. Selectors compile to a small NFA stepped once per key while walking,
so matching costs a set lookup per field, not a re-parse per path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ITEM = "\x00[]"
"""The path segment of an array element (a sentinel no JSON key uses)."""
ANY = "*"
DEEP = "**"
_CACHE_LIMIT = 4096
_TOKEN = re.compile(r"\[\*?\]|[^.\[\]]+")


class SelectorError(ValueError):
    pass


def parse(selector: str) -> tuple[str, ...]:
    """``a.b[].c`` → ``("a", "b", "[]", "c")``."""
    text = selector.strip()
    if not text:
        raise SelectorError("empty field selector")
    tokens: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        gap = text[pos : m.start()]
        if gap not in ("", "."):
            raise SelectorError(f"malformed field selector {selector!r}")
        tok = m.group(0)
        tokens.append(ITEM if tok.startswith("[") else tok)
        pos = m.end()
    if text[pos:] or text.endswith("."):
        raise SelectorError(f"malformed field selector {selector!r}")
    return tuple(tokens)


State = frozenset[tuple[int, int]]


@dataclass(frozen=True)
class SelectorSet:
    """Several selectors, each with a payload (an action, a scope rule); matched together."""

    paths: tuple[tuple[str, ...], ...]
    payloads: tuple[object, ...]
    _steps: dict[tuple[State, str], State] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, items: Iterable[tuple[str, object]]) -> SelectorSet:
        pairs = [(parse(sel), payload) for sel, payload in items]
        return cls(tuple(p for p, _ in pairs), tuple(x for _, x in pairs))

    def __bool__(self) -> bool:
        return bool(self.paths)

    def start(self) -> State:
        return self._closure({(i, 0) for i in range(len(self.paths))})

    def _closure(self, states: set[tuple[int, int]]) -> State:
        todo = list(states)
        while todo:
            i, pos = todo.pop()
            path = self.paths[i]
            if pos < len(path) and path[pos] == DEEP and (i, pos + 1) not in states:
                states.add((i, pos + 1))
                todo.append((i, pos + 1))
        return frozenset(states)

    def step(self, state: State, segment: str) -> State:
        """Advance by one key (``segment``) or array element (``ITEM``); memoised, bounded."""
        cached = self._steps.get((state, segment))
        if cached is not None:
            return cached
        result = self._step(state, segment)
        if len(self._steps) >= _CACHE_LIMIT:
            self._steps.clear()
        self._steps[(state, segment)] = result
        return result

    def _step(self, state: State, segment: str) -> State:
        nxt: set[tuple[int, int]] = set()
        for i, pos in state:
            path = self.paths[i]
            if pos >= len(path):
                continue
            tok = path[pos]
            if tok == DEEP:
                nxt.add((i, pos))
            elif tok == segment or (tok == ANY and segment != ITEM):
                nxt.add((i, pos + 1))
        return self._closure(nxt) if nxt else frozenset()

    def matched(self, state: State) -> list[object]:
        """Payloads of the selectors that end exactly here, in declaration order."""
        hits = sorted(i for i, pos in state if pos == len(self.paths[i]))
        return [self.payloads[i] for i in hits]
