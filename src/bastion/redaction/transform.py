"""``redact(doc, rules)``: apply field and category actions to a parsed JSON document.

Field selectors win over categories. Keys are scanned like values (a map keyed by e-mail address
must not leak its keys). A field whose *name* announces a category (``email``,
``password``, ``address``) gets that category's action on its whole value, subtree included; any
other string is scanned by the detectors and each finding inside it is replaced. Large integers are
scanned too (a card number sent as a JSON number). ``drop`` removes the field (or array element);
``block`` raises ``Blocked``. The outcome counts findings per category: never values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bastion.redaction.categories import ALL_CATEGORIES, Action, Category, apply_action, mask
from bastion.redaction.detectors import scan
from bastion.redaction.fieldnames import field_category
from bastion.redaction.selectors import ANY, DEEP, ITEM, SelectorSet, State

_DROP = object()
_MISSING = object()
_NUMBER_FLOOR = 1_000_000
_WITHHELD = ("[REDACTED", "****")
"""Values a redact or mask action produced; a ``hash`` pseudonym is still personal data and is counted."""


@dataclass(frozen=True)
class RedactionRules:
    fields: SelectorSet = field(default_factory=lambda: SelectorSet((), ()))
    """Selector → ``Action``: applied to the whole value at that path, whatever it contains."""
    categories: Mapping[Category, Action] = field(default_factory=dict)
    """Category → action, for values found by name or by content."""
    key: bytes | None = None
    """HMAC key for ``hash`` (one per tenant); required when any action is ``hash``."""

    @classmethod
    def everything(cls, action: Action = Action.REDACT, key: bytes | None = None) -> RedactionRules:
        return cls(categories=dict.fromkeys(ALL_CATEGORIES, action), key=key)


@dataclass
class Outcome:
    value: Any
    found: Counter[Category] = field(default_factory=Counter)
    """Findings per category (counted whatever the action, including ``allow``)."""
    changed: int = 0


def redact(doc: Any, rules: RedactionRules) -> Outcome:
    """Return a redacted copy of ``doc`` (the input is not modified). May raise ``Blocked``."""
    walker = _Walker(rules)
    value = walker.walk(doc, rules.fields.start() if rules.fields else frozenset(), None)
    return Outcome(None if value is _DROP else value, walker.found, walker.changed)


class _Walker:
    def __init__(self, rules: RedactionRules) -> None:
        self.rules = rules
        self.only = frozenset(rules.categories)
        self.found: Counter[Category] = Counter()
        self.changed = 0
        self.clean_keys: set[str] = set()

    def walk(self, value: Any, state: State, name: str | None) -> Any:
        rules = self.rules
        if state:
            hits = rules.fields.matched(state)
            if hits:
                action = hits[0]
                assert isinstance(action, Action)
                category = field_category(name) if name else None
                return self._whole(value, category, action)
        if name is not None:
            category = field_category(name)
            if category is not None and category in self.only and value not in (None, "", [], {}):
                if isinstance(value, str) and value.startswith(_WITHHELD):
                    return value  # already redacted or masked upstream of here: nothing personal left
                self.found[category] += 1
                return self._whole(value, category, rules.categories[category])
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for k, v in value.items():
                r = self.walk(v, rules.fields.step(state, k) if state else state, k)
                if r is not _DROP:
                    out[self._key(k) if self.only and isinstance(k, str) else k] = r
            return out
        if isinstance(value, list):
            item_state = rules.fields.step(state, ITEM) if state else state
            items = (self.walk(v, item_state, None) for v in value)
            return [r for r in items if r is not _DROP]
        if isinstance(value, str):
            return self._scan(value) if self.only else value
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _NUMBER_FLOOR:
            text = str(value)
            out_text = self._scan(text)
            return value if out_text == text else out_text
        return value

    def _whole(self, value: Any, category: Category | None, action: Action) -> Any:
        if action is Action.ALLOW:
            return value
        self.changed += 1
        if action is Action.DROP:
            return _DROP
        if isinstance(value, (dict, list)) or value is None:
            return apply_action("", category, Action.BLOCK if action is Action.BLOCK else Action.REDACT, None)
        text = value if isinstance(value, str) else str(value)
        return apply_action(text, category, action, self.rules.key)

    def _key(self, key: str) -> str:
        """Keys repeat across the items of a list: remember the ones that hold nothing."""
        if key in self.clean_keys:
            return key
        out = self._scan(key)
        if out == key and len(self.clean_keys) < 1024:
            self.clean_keys.add(key)
        return out

    def _scan(self, text: str) -> str:
        def on_found(category: Category, raw: str) -> str:
            self.found[category] += 1
            action = self.rules.categories[category]
            if action is Action.ALLOW:
                return raw
            self.changed += 1
            return apply_action(raw, category, action, self.rules.key)

        return scan(text, on_found, self.only)


def inventory(doc: Any, categories: frozenset[Category] = ALL_CATEGORIES) -> Counter[Category]:
    """Count the personal data and secrets in ``doc`` by category, changing nothing."""
    return redact(doc, RedactionRules(categories=dict.fromkeys(categories, Action.ALLOW))).found


def keep_only(doc: Any, allow: SelectorSet, removed: list[int] | None = None) -> Any:
    """Keep the values at the allowed paths (whole subtrees) and the containers leading to them.

    ``removed[0]`` is increased by the number of fields and elements left out."""
    counter = removed if removed is not None else [0]
    kept = _keep(doc, allow.start(), allow, counter)
    return None if kept is _DROP else kept


def _keep(value: Any, state: State, allow: SelectorSet, removed: list[int]) -> Any:
    if allow.matched(state):
        return value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            sub = allow.step(state, k)
            kept = _keep(v, sub, allow, removed) if sub else _DROP
            if kept is _DROP:
                removed[0] += 1
            else:
                out[k] = kept
        return out
    if isinstance(value, list):
        sub = allow.step(state, ITEM)
        if not sub:
            removed[0] += len(value)
            return []
        items = [_keep(v, sub, allow, removed) for v in value]
        kept_items = [r for r in items if r is not _DROP]
        removed[0] += len(items) - len(kept_items)
        return kept_items
    return _DROP


def targeted(rules: RedactionRules) -> bool:
    """True when ``apply_fields`` can replace ``redact``: field rules only, no ``**`` selectors."""
    return not rules.categories and all(DEEP not in p for p in rules.fields.paths)


def apply_fields(doc: Any, rules: RedactionRules) -> int:
    """Apply ``rules.fields`` in place, visiting only the selected paths. Returns values changed.

    Much cheaper than ``redact`` on large documents: each selector walks the document level by level,
    touching only the containers on its path. The caller must own ``doc`` (e.g. it was just parsed).
    Requires ``targeted(rules)``.
    """
    changed = 0
    for path, action in zip(rules.fields.paths, rules.fields.payloads, strict=True):
        assert isinstance(action, Action)
        if action is not Action.ALLOW:
            changed += _apply_path(doc, path, action, rules.key)
    return changed


def _apply_path(doc: Any, path: tuple[str, ...], action: Action, key: bytes | None) -> int:
    nodes = [doc]
    for tok in path[:-1]:
        nxt: list[Any] = []
        for node in nodes:
            if tok == ITEM:
                if type(node) is list:
                    nxt.extend(node)
            elif type(node) is dict:
                if tok == ANY:
                    nxt.extend(node.values())
                elif tok in node:
                    nxt.append(node[tok])
        nodes = nxt
    last = path[-1]
    n = 0
    if last == ITEM:
        for node in nodes:
            if type(node) is list and node:
                n += len(node)
                if action is Action.DROP:
                    node.clear()
                else:
                    node[:] = [_act(el, None, action, key) for el in node]
        return n
    category = field_category(last) if last != ANY else None
    if last != ANY and action is Action.MASK:  # the common scoped-field case, kept tight
        for node in nodes:
            if type(node) is dict:
                value = node.get(last, _MISSING)
                if type(value) is str:
                    node[last] = mask(value)
                    n += 1
                elif value is not _MISSING:
                    node[last] = _act(value, category, action, key)
                    n += 1
        return n
    for node in nodes:
        if type(node) is not dict:
            continue
        for name in (list(node) if last == ANY else (last,) if last in node else ()):
            n += 1
            if action is Action.DROP:
                del node[name]
            else:
                node[name] = _act(node[name], category if last != ANY else field_category(name), action, key)
    return n


def _act(value: Any, category: Category | None, action: Action, key: bytes | None) -> Any:
    if type(value) is str:
        return apply_action(value, category, action, key)
    if isinstance(value, (dict, list)) or value is None:
        return apply_action("", category, Action.BLOCK if action is Action.BLOCK else Action.REDACT, None)
    return apply_action(str(value), category, action, key)
