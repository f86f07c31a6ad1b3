"""Object ids learned from responses, per identity, so probes can fill path parameters.

A value is remembered with its key (``id``, ``order_id``, ``username``) and its container, the resource
it came from: the nearest named parent key in the JSON, else the last static segment of the request
path (``/users/me`` -> ``users``). ``candidates`` answers "which values fit ``{order_id}`` in
``/orders/{order_id}``" from that, so ids are reused where they belong and nowhere else. Keys named
like one of the spec's path parameters count as ids too, whatever their name (``book_title``). Ids of
objects that name the identity (``{"title": "t1", "user": "alice"}`` in alice's bank) come first, so
an identity's baseline is, where the API shows owners, its own object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ID_KEYS = ("id", "uuid", "username", "slug", "handle", "login")
TRANSPARENT = ("items", "data", "results", "records", "content", "value", "values", "list", "objects")
SELF_SEGMENTS = ("me", "self", "current", "mine", "my")


def singular(word: str) -> str:
    word = word.lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def resource_of(path: str) -> str:
    for segment in reversed([s for s in path.split("/") if s]):
        if segment.lower() in SELF_SEGMENTS or segment.isdigit() or segment.startswith("{"):
            continue
        if segment.lower().startswith("v") and segment[1:].isdigit():
            continue
        return singular(segment)
    return ""


def is_id_key(key: str) -> bool:
    k = key.lower()
    return k in ID_KEYS or k.endswith(("_id", "_uuid")) or (key.endswith("Id") and len(key) > 2)


REFERENCE = re.compile(r"(?<=.)(_id|_uuid|Id)$")


def is_reference(key: str) -> bool:
    """Does the field name another object by its id (``menu_item_id``, ``ownerId``; not ``id`` itself)?"""
    return bool(REFERENCE.search(key))


@dataclass(slots=True)
class IdBank:
    entries: list[tuple[str, str, str]] = field(default_factory=list)
    """(key, value, container) in the order learned."""
    keys: frozenset[str] = frozenset()
    """More keys to remember besides id-like ones: the spec's path parameter names (``book_title``)."""
    owned: set[str] = field(default_factory=set)
    """Values learned from an object that names the bank's identity (``"user": "alice"``): its own."""

    def learn(self, request_path: str, data: Any, owner: str | None = None) -> None:
        self._walk(data, resource_of(request_path), 0, owner)

    def _walk(self, node: Any, container: str, depth: int, owner: str | None = None) -> None:
        if depth > 6:
            return
        if isinstance(node, list):
            for item in node[:50]:
                self._walk(item, container, depth + 1, owner)
        elif isinstance(node, dict):
            mine = owner is not None and owner in node.values()
            for key, value in node.items():
                if isinstance(value, dict | list):
                    inner = container if key.lower() in TRANSPARENT else singular(key)
                    self._walk(value, inner, depth + 1, owner)
                elif isinstance(value, str | int) and not isinstance(value, bool):
                    entry = (key, str(value), container)
                    if (is_id_key(key) or key in self.keys) and entry[1] and entry not in self.entries:
                        self.entries.append(entry)
                    if mine and value != owner:
                        self.owned.add(str(value))

    def claim(self, key: str, value: str, container: str) -> None:
        """An object the identity owns for certain (the scan created it): first among the candidates."""
        entry = (key, value, container)
        self.entries = [entry, *(e for e in self.entries if e != entry)]
        self.owned.add(value)

    def reference(self, field: str) -> str | None:
        """A value for a body field that names another object (``menu_item_id``, ``couponId``): a value
        learned under that key, else an ``id`` of the resource the field names (``menu_item_id`` -> ids of
        ``/menu``, ``coupon_id`` -> ids of ``/discount-coupons``); the identity's own first."""
        if not is_reference(field):
            return None
        stem = REFERENCE.sub("", field).lower().replace("-", "_")
        found = [v for k, v, _ in self.entries if k == field]
        for key, value, container in self.entries:
            c = container.replace("-", "_")
            plural = c.startswith(stem) and len(c) - len(stem) <= 2  # "dishe" (of /dishes) for dish_id
            if key == "id" and c and (c == stem or plural or stem.startswith(c + "_") or c.endswith("_" + stem)):
                found.append(value)
        found.sort(key=lambda v: v not in self.owned)
        return found[0] if found else None

    def candidates(self, param: str, path_template: str) -> list[str]:
        before = path_template.split("{" + param + "}")[0]
        owner = resource_of(before)
        p = param.lower()
        out: list[str] = []
        for key, value, container in self.entries:
            k = key.lower()
            exact = k == p and (container == owner or not owner or p != "id")
            generic = k == "id" and container == owner and (p == "id" or (p.endswith("id") and owner in p))
            named = p in ("username", "login", "handle", "slug") and k == p
            if (exact or generic or named) and value not in out:
                out.append(value)
        return sorted(out, key=lambda v: v not in self.owned)  # the identity's own objects first
