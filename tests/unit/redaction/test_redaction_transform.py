"""Unit: redact() applies field and category actions to JSON documents; keep_only/apply_fields/inventory."""

from __future__ import annotations

from typing import Any

import pytest

from bastion.redaction import Action, Blocked, Category, RedactionRules, inventory, redact
from bastion.redaction.selectors import SelectorSet
from bastion.redaction.transform import apply_fields, keep_only, targeted

KEY = b"tenant-key-0123456789"
DOC: dict[str, Any] = {
    "id": 7,
    "name": "Ann Example",
    "email": "ann@example.com",
    "notes": "call +44 20 7946 0958 or mail ann@example.com",
    "payment": {"card_number": "4111 1111 1111 1111", "iban": "DE89370400440532013000"},
    "orders": [{"id": 1, "card": 4111111111111111}, {"id": 2, "password": "hunter2"}],
}


def _rules(categories: dict[Category, Action] | None = None, fields: dict[str, Action] | None = None,
           key: bytes | None = KEY) -> RedactionRules:
    return RedactionRules(SelectorSet.build((fields or {}).items()), categories or {}, key)


def test_redact_replaces_every_configured_category_by_name_and_content() -> None:
    out = redact(DOC, RedactionRules.everything()).value
    text = repr(out)
    for raw in ("ann@example.com", "4111 1111 1111 1111", "4111111111111111", "DE89370400440532013000",
                "7946 0958", "hunter2", "Ann Example"):
        assert raw not in text
    assert out["id"] == 7 and out["orders"][0]["id"] == 1
    assert out["notes"] == "call [REDACTED:phone] or mail [REDACTED:email]"


def test_input_document_is_not_modified() -> None:
    before = repr(DOC)
    redact(DOC, RedactionRules.everything())
    assert repr(DOC) == before


def test_mask_keeps_last_four() -> None:
    out = redact(DOC, _rules({Category.CARD: Action.MASK})).value
    assert out["payment"]["card_number"] == "*" * 15 + "1111"
    assert out["orders"][0]["card"] == "*" * 12 + "1111"


def test_hash_is_a_stable_keyed_pseudonym() -> None:
    a = redact(DOC, _rules({Category.EMAIL: Action.HASH})).value
    b = redact(DOC, _rules({Category.EMAIL: Action.HASH})).value
    other = redact(DOC, _rules({Category.EMAIL: Action.HASH}, key=b"another-tenant-key-42")).value
    assert a["email"] == b["email"] and a["email"].startswith("email_")
    assert a["email"] != other["email"]
    assert "ann@example.com" not in repr(a)
    assert not any(ch.isdigit() for ch in a["email"])


def test_hash_without_key_fails_loudly() -> None:
    with pytest.raises(ValueError, match="key"):
        redact(DOC, _rules({Category.EMAIL: Action.HASH}, key=None))


def test_drop_removes_fields_and_array_elements() -> None:
    out = redact(DOC, _rules({Category.EMAIL: Action.DROP}, {"orders[]": Action.DROP})).value
    assert "email" not in out
    assert out["orders"] == []
    assert "[REDACTED:email]" in out["notes"]  # inside free text, drop degrades to redact


def test_block_raises_with_the_category_only() -> None:
    with pytest.raises(Blocked) as info:
        redact(DOC, _rules({Category.IBAN: Action.BLOCK}))
    assert info.value.category is Category.IBAN
    assert "DE89" not in str(info.value)


def test_field_selectors_win_over_categories() -> None:
    out = redact(DOC, _rules({Category.EMAIL: Action.REDACT}, {"email": Action.MASK, "payment": Action.DROP})).value
    assert out["email"] == "*" * 11 + ".com"
    assert "payment" not in out


def test_allow_keeps_the_value_but_counts_it() -> None:
    outcome = redact(DOC, _rules({Category.EMAIL: Action.ALLOW}))
    assert outcome.value["email"] == "ann@example.com"
    assert outcome.found[Category.EMAIL] == 2
    assert outcome.changed == 0


def test_inventory_counts_categories_without_values() -> None:
    counts = inventory(DOC)
    assert counts[Category.EMAIL] == 2 and counts[Category.CARD] == 2 and counts[Category.PHONE] == 1
    assert counts[Category.PASSWORD] == 1 and counts[Category.NAME] == 1 and counts[Category.IBAN] == 1
    assert all(isinstance(k, Category) for k in counts)


def test_keep_only_keeps_allowed_subtrees() -> None:
    allow = SelectorSet.build([("id", True), ("orders[].id", True), ("payment", True)])
    removed = [0]
    assert keep_only(DOC, allow, removed) == {"id": 7, "payment": DOC["payment"], "orders": [{"id": 1}, {"id": 2}]}
    assert removed == [5]  # name, email, notes, orders[0].card, orders[1].password


def test_apply_fields_matches_redact_for_targeted_rules() -> None:
    rules = _rules(fields={"email": Action.MASK, "orders[].password": Action.DROP, "payment.*": Action.REDACT})
    assert targeted(rules)
    doc = {**DOC, "orders": [dict(o) for o in DOC["orders"]], "payment": dict(DOC["payment"])}
    changed = apply_fields(doc, rules)
    assert doc == redact(DOC, rules).value
    assert changed == 4


def test_apply_fields_masks_non_strings_like_redact() -> None:
    rules = _rules(fields={"orders[].id": Action.MASK, "payment": Action.MASK, "missing": Action.MASK})
    doc = {**DOC, "orders": [dict(o) for o in DOC["orders"]], "payment": dict(DOC["payment"])}
    assert apply_fields(doc, rules) == 3
    assert doc == redact(DOC, rules).value
    assert doc["payment"] == "[REDACTED]" and doc["orders"][0]["id"] == "*"


def test_deep_selectors_are_not_targeted() -> None:
    assert not targeted(_rules(fields={"**.email": Action.DROP}))
    assert not targeted(_rules({Category.EMAIL: Action.DROP}))
    out = redact(DOC, _rules(fields={"**.id": Action.DROP})).value
    assert "id" not in out and all("id" not in o for o in out["orders"])
