"""Case-insensitive HTTP header collections.

Names are stored lower-cased (HTTP/1.1 field names are case-insensitive) and values as ``str``
decoded from latin-1, so every byte round-trips. Order and duplicates are preserved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from typing import Self


class Headers:
    """An immutable, ordered, case-insensitive multi-map of header fields."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items: list[tuple[str, str]] = [(k.lower(), v) for k, v in items]

    @classmethod
    def from_lower(cls, items: list[tuple[str, str]]) -> Self:
        """Adopt a list whose names are already lower-case (the parser's fast path)."""
        h = cls.__new__(cls)
        h._items = items
        return h

    def get(self, name: str, default: str | None = None) -> str | None:
        name = name.lower()
        for k, v in self._items:
            if k == name:
                return v
        return default

    def get_all(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self._items if k == name]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        name = name.lower()
        return any(k == name for k, _ in self._items)

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def keys(self) -> list[str]:
        return [k for k, _ in self._items]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Headers) and self._items == other._items

    def __repr__(self) -> str:
        redacted = [(k, "***" if k in SENSITIVE_HEADERS else v) for k, v in self._items]
        return f"{type(self).__name__}({redacted!r})"

    def mutable_copy(self) -> MutableHeaders:
        return MutableHeaders(self._items)


class MutableHeaders(Headers):
    """Headers that policies may edit (forwarded request headers, response headers)."""

    __slots__ = ()

    def set(self, name: str, value: str) -> None:
        """Replace every field called ``name`` with a single one."""
        name = name.lower()
        self._items = [(k, v) for k, v in self._items if k != name]
        self._items.append((name, value))

    def add(self, name: str, value: str) -> None:
        self._items.append((name.lower(), value))

    def setdefault(self, name: str, value: str) -> None:
        if name not in self:
            self.add(name, value)

    def remove(self, name: str) -> None:
        name = name.lower()
        self._items = [(k, v) for k, v in self._items if k != name]

    def remove_many(self, names: Set[str]) -> None:
        self._items = [(k, v) for k, v in self._items if k not in names]


SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)
"""Headers whose values are never logged, echoed in errors, or shown in reprs."""

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
"""RFC 9110 §7.6.1 connection-specific fields, removed in both directions by the gateway."""
