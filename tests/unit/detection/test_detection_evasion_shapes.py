"""Unit: evasion transforms of caught attacks (bench/waf/evasion.py) — quoted word pieces and ASP's stray ``%``.

Each attack shape is sent through the engine and must be rejected; each benign look-alike must pass."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Engine
from bastion.detection.decode import variants
from bastion.detection.rules import Context
from bastion.detection.shell import is_cmdi, normalize

QUERY = Context(kind="query", name="comment")

QUOTED_PIECE_ATTACKS = {
    "pipe_then_trailing_double_quoted_letter": '|p"s"',
    "semicolon_then_trailing_single_quoted_letters": "; una'me' -a",
    "and_then_quoted_tail": '&& who"ami";',
    "leading_quoted_letter": '; "u"name -a',
    "backticks_with_quoted_tail": '`unam"e"`',
}

QUOTED_PIECE_BENIGN = {
    "quoted_word_in_prose": 'she said "thanks" and left',
    "possessive_after_quote": "the 'Smiths' house",
    "quoted_title_glued": 'see "Intro"chapter two',
    "sql_string_literal": "name = 'Ann' and city = 'Rome'",
}


@pytest.mark.parametrize("value", QUOTED_PIECE_ATTACKS.values(), ids=QUOTED_PIECE_ATTACKS.keys())
def test_quoted_piece_glued_to_a_command_is_rejected(engine: Engine, value: str) -> None:
    assert is_cmdi(value) is not None
    assert engine.inspect(value, QUERY) is not None


@pytest.mark.parametrize("value", QUOTED_PIECE_BENIGN.values(), ids=QUOTED_PIECE_BENIGN.keys())
def test_quoted_words_in_text_pass(engine: Engine, value: str) -> None:
    assert engine.inspect(value, QUERY) is None


def test_normalize_joins_a_quoted_piece_to_its_word() -> None:
    assert normalize('; p"s" aux') == "; ps aux"
    assert normalize("'c'at x") == "cat x"


STRAY_PERCENT_ATTACKS = {
    "percentage_union_select": "0 %U%N%I%O%N %S%E%L%E%C%T password %F%R%O%M accounts",
    "percentage_tautology": "x' %O%R 'k'='k",
    "percentage_double_encoded": "9 %25U%25N%25I%25O%25N %25S%25E%25L%25E%25C%25T 1,2",
}

STRAY_PERCENT_BENIGN = {
    "percent_then_space": "save 30% on orders over 100",
    "percent_glued_to_word": "grew 12%yearly since 2019",
    "printf_format": "printf('%s items, %d left', name, count)",
    "valid_escapes": "caf%C3%A9 menu",
}


@pytest.mark.parametrize("value", STRAY_PERCENT_ATTACKS.values(), ids=STRAY_PERCENT_ATTACKS.keys())
def test_keywords_split_by_stray_percent_signs_are_rejected(engine: Engine, value: str) -> None:
    assert engine.inspect(value, QUERY) is not None


@pytest.mark.parametrize("value", STRAY_PERCENT_BENIGN.values(), ids=STRAY_PERCENT_BENIGN.keys())
def test_percent_signs_in_text_pass(engine: Engine, value: str) -> None:
    assert engine.inspect(value, QUERY) is None


def test_variants_drop_a_percent_that_starts_no_escape() -> None:
    assert variants("%S%E%L%E%C%T")[-1] == "SELECT"
    assert variants("50% off") == ["50% off"]
    assert "%u0041" not in variants("%u0041")[-1]


ESCAPED_TEXT_BENIGN = {
    "named_entity_ampersands_before_a_tool_word": "Salt &amp; pepper &amp; more",
    "numeric_entity_ampersand": "Fish &#38; chips &#38; more",
    "tab_separated_ampersands": "Salt\t&\tpepper\t&\tmore",
}

ESCAPED_TEXT_ATTACKS = {
    "entity_then_real_separator": "q &lt;; uname -a",
    "semicolon_spelled_as_entity": "q&#59;uname -a",
    "tab_then_and_and": "q\t&&\tuname -a",
    "tab_ampersand_with_shell_argument": "q\t&\tcat /etc/passwd",
    "pg_sleep_with_stray_percent": "1;%S%E%L%E%C%T %p%g%_%s%l%e%e%p(7)",
}


@pytest.mark.parametrize("value", ESCAPED_TEXT_BENIGN.values(), ids=ESCAPED_TEXT_BENIGN.keys())
def test_escaped_or_tab_separated_prose_passes(engine: Engine, value: str) -> None:
    assert engine.inspect(value, QUERY) is None


@pytest.mark.parametrize("value", ESCAPED_TEXT_ATTACKS.values(), ids=ESCAPED_TEXT_ATTACKS.keys())
def test_separators_next_to_entities_and_tabs_are_still_read(engine: Engine, value: str) -> None:
    assert engine.inspect(value, QUERY) is not None


@pytest.mark.parametrize("value", ["&" + "x;" * 65536, "&amp;" * 26214, "x&#38;" * 21845, ";" * 131072])
def test_entity_semicolons_are_read_in_linear_time(value: str) -> None:
    """128 KiB of ``;`` after an ``&``: each ``;`` looks back a bounded stretch for the entity it might close, and
    whether the value holds an ``&`` at all is asked once (asking it per ``;`` doubled the time of 128 KiB of ``;``)."""
    start = time.process_time()
    span = is_cmdi(value)
    assert span is None or 0 <= span[0] < span[1] <= len(value)
    assert time.process_time() - start < 2.0
