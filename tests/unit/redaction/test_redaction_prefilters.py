"""Unit: the detectors' cheap prefilters never hide a finding (case, separators, and keys in long text)."""

from __future__ import annotations

import pytest

from bastion.redaction.categories import Category
from bastion.redaction.detectors import find

FILLER = "lorem ipsum dolor sit amet " * 80  # long values are where the prefilters skip work


@pytest.mark.parametrize(("text", "category"), [
    ("AUTHORIZATION: Bearer abcdefgh12345678", Category.TOKEN),
    ('{"Cookie": "sid=abcdef123456"}', Category.TOKEN),
    ('{"X-API-KEY": "k-123456789"}', Category.TOKEN),
    ('{"User-Pass_Word": "hunter2hunter2"}', Category.PASSWORD),
    ("client_secret=s3cr3t-v@lue", Category.PASSWORD),
    ('{"PIN": "4711"}', Category.PASSWORD),
    ("token AbCdEfGh12345678", Category.TOKEN),
    ("AKIAIOSFODNN7EXAMPLE", Category.API_KEY),
    ("ghp_" + "a" * 36, Category.API_KEY),
    ("sk_live_" + "a" * 24, Category.API_KEY),
])
def test_prefilters_keep_every_finding_in_long_text(text: str, category: Category) -> None:
    assert category in find(text)
    assert category in find(FILLER + text + " " + FILLER)


def test_long_text_without_any_hint_finds_nothing() -> None:
    assert find("x" * 4000) == [] and find(FILLER) == []
