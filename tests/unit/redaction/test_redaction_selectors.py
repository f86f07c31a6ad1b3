"""Unit: field selector parsing and matching (anchored paths, [], *, **)."""

from __future__ import annotations

import pytest

from bastion.redaction.selectors import ITEM, SelectorError, SelectorSet, parse


@pytest.mark.parametrize(("text", "tokens"), [
    ("email", ("email",)),
    ("customer.address.city", ("customer", "address", "city")),
    ("items[].card", ("items", ITEM, "card")),
    ("items[*].card", ("items", ITEM, "card")),
    ("**.password", ("**", "password")),
    ("[].id", (ITEM, "id")),
])
def test_parse(text: str, tokens: tuple[str, ...]) -> None:
    assert parse(text) == tokens


@pytest.mark.parametrize("bad", ["", "a..b", "a.", "a[0]", "a]b"])
def test_parse_rejects_malformed(bad: str) -> None:
    with pytest.raises(SelectorError):
        parse(bad)


def _match(selector: str, path: list[str]) -> bool:
    sel = SelectorSet.build([(selector, "hit")])
    state = sel.start()
    for seg in path:
        state = sel.step(state, seg)
    return sel.matched(state) == ["hit"]


@pytest.mark.parametrize(("selector", "path", "hit"), [
    ("email", ["email"], True),
    ("email", ["customer", "email"], False),
    ("**.email", ["customer", "email"], True),
    ("**.email", ["email"], True),
    ("**.email", ["list", ITEM, "email"], True),
    ("items[].card", ["items", ITEM, "card"], True),
    ("items[].card", ["items", "card"], False),
    ("*.card", ["payment", "card"], True),
    ("*.card", [ITEM, "card"], False),
    ("a.**", ["a", "b", "c"], True),
])
def test_matching(selector: str, path: list[str], hit: bool) -> None:
    assert _match(selector, path) is hit


def test_first_declared_payload_comes_first() -> None:
    sel = SelectorSet.build([("**.email", "deep"), ("email", "exact")])
    assert sel.matched(sel.step(sel.start(), "email")) == ["deep", "exact"]
