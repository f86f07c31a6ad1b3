"""Unit: SQL probes that need no quote and no leading number (libinjection's collected attacks have these shapes).

Each attack is paired with the benign value of the same shape that must keep passing.
"""

from __future__ import annotations

import pytest

from bastion.detection.engine import Engine
from bastion.detection.rules import Context
from bastion.detection.sqli import is_sqli

ENGINE = Engine()
FIELD = Context("body", "note")


def _blocked(value: str) -> bool:
    """Through the whole engine, so the prefilter has to pass the value to the SQL analyser too."""
    found = ENGINE.inspect(value, FIELD)
    return found is not None and found.rule.attack == "sqli"


@pytest.mark.parametrize("value", ["WIDGET AND -5=2", "blue OR (4)=(4)", "x AND 2*3=7-1", "abc && TAN(1)=COT(2)",
                                   "PI() OR FLOOR(PI())=3", "name AND ABS(-2)=2 -- x"])
def test_a_constant_comparison_joined_by_a_logic_operator_is_a_blind_probe(value: str) -> None:
    assert _blocked(value)


@pytest.mark.parametrize("value", ["5 < 6 && 7 > 3", "Tom AND Jerry=friends", "salt and pepper", "2 and 3 make 5",
                                   "buy 2 and get 1 free", "if a and b=c then d", "x = 1 and y = 2 in the formula"])
def test_comparisons_of_words_or_inequalities_in_text_pass(value: str) -> None:
    assert not _blocked(value)


@pytest.mark.parametrize("value", [") OR (SELECT token FROM sessions)", ")) union all select 1,2",
                                   ") and exists (select 1)"])
def test_a_value_closing_the_query_s_parenthesis_then_going_on_in_sql_is_refused(value: str) -> None:
    assert _blocked(value)


@pytest.mark.parametrize("value", [") see above", "), and select the colour you like", ":) or not"])
def test_a_closing_parenthesis_then_prose_passes(value: str) -> None:
    assert not _blocked(value)


@pytest.mark.parametrize("value", ["1 DIV(SELECT LENGTH(pw) FROM u)", "FALSE MOD(SELECT ASCII(x) FROM t)"])
def test_a_sub_select_as_an_operator_s_operand_is_refused(value: str) -> None:
    assert _blocked(value)


@pytest.mark.parametrize("value", ["char(97)||char(98)", "CHR(65)+CHR(66)+CHR(67)", "chr(120), chr(121)"])
def test_a_string_spelt_from_character_codes_is_refused(value: str) -> None:
    assert _blocked(value)


@pytest.mark.parametrize("value", ["the char(10) escape is a newline", "chr(65) returns 'A' in Python"])
def test_one_character_code_in_documentation_passes(value: str) -> None:
    assert not _blocked(value)
    assert is_sqli(value) is None
