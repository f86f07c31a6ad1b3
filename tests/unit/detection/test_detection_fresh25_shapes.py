"""Unit: the shapes of the fresh25 first contact.

SQL: a stacked PostgreSQL ``COPY <table>[(<columns>)] TO|FROM '<file>'`` after a number or quote break-out (a table
with a column list tokenizes as a call). Command injection: a separator, then a ``$(…)`` substitution whose command
reads a here-string, its output run as the next command (a case-shifted, reversed or decoded constant). NoSQL:
MongoLite's ``$func``/``$fn`` operators (a PHP callable per document), and a query object closed and a new one opened
whose field matches a match-all regular expression. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from bastion.detection import Context, Engine
from bastion.detection.shell import is_cmdi
from bastion.detection.signatures import nosqli
from bastion.detection.sqli import is_sqli

BODY = Context("body", "note")
QUERY = Context("query", "comment")
COOKIE = Context("cookie", "prefs")

ATTACKS: dict[str, tuple[str, str]] = {
    # stacked COPY to or from a file
    "copy_columns_to_file": ("7; COPY audit(line) TO '/srv/pg/out.txt'--", "sqli"),
    "copy_two_columns_from_file": ("3;copy accounts (login, hash) from '/home/x/in.csv' --", "sqli"),
    "copy_schema_table_to_stdout": ("12; COPY app.users(email) TO STDOUT--", "sqli"),
    "copy_quote_breakout_program": ("abc'; COPY logs(msg) FROM PROGRAM 'uname -a'--", "sqli"),
    "copy_plain_table_still": ("5; copy sessions to '/tmp/s.csv'--", "sqli"),
    # a here-string substitution where a command goes
    "tr_case_shift_after_semicolon": (';$(tr "[a-z]" "[A-Z]"<<<"hoStNaMe")', "cmdi"),
    "rev_after_and": ("q && $(rev <<< 'dwp')", "cmdi"),
    "base32_after_pipe": ("x|$(base32 -d<<<NFSA)", "cmdi"),
    "tr_inside_backticks": ("n`$(tr A-Z a-z <<< UNAME)`", "cmdi"),
    "sed_after_newline": ("ok\n$(sed s/Q/i/ <<< Qd)", "cmdi"),
    # MongoLite function operators
    "func_operator_in_text": ('"name":{"$func": "phpinfo"}', "nosqli"),
    "fn_operator_in_text": ("{'title': {'$fn': 'system'}}", "nosqli"),
    "func_operator_in_brackets": ("filter[name][$func]=print_r", "nosqli"),
    # a second object with a match-all regex
    "next_object_dot_star": ("}, { secret : /.*/ }", "nosqli"),
    "next_object_caret_quoted": ('admin"}, {"token": /^/}', "nosqli"),
    "next_object_plus_flag": ("x'}, {pin: /.+/i", "nosqli"),
    "next_object_anchored": ("}, {'otp': /^.*$/ , 'a': 1}", "nosqli"),
}

BENIGN: dict[str, str] = {
    # COPY in prose and without a break-out
    "copy_sentence": "Please copy (the report) to 'Finance' today",
    "copy_word_to": "Copy files to '/backup' nightly",
    "copy_bare_statement_no_breakout": "COPY weather(city) TO STDOUT",
    "copy_french": "Copiez le fichier (rapport) vers '/tmp'",
    "copy_after_sentence": "Done; copy this (draft) to 'Anna'",
    # here-strings in scripts
    "assignment_of_substitution": 'name=$(tr A-Z a-z <<< "$1")',
    "markdown_assignment": "Lower-case with `slug=$(tr A-Z a-z <<< \"$title\")`",
    "here_string_prose": "Bash has here-strings (<<<) since version 2.05b",
    "heredoc_prose": "Use cat <<EOF for long text",
    # dollar words that are no operators
    "price_func": "Costs $func? No, $5",
    "json_key_fn_like": '{"fn": "Ada", "ln": "Lovelace"}',
    "template_dollar_f": "Total: ${fn(total)}",
    # JSON lists and regex in code
    "json_array_of_objects": '[{"a": 1}, {"path": "/home/ann"}]',
    "route_table_one_object": "routes: [{ path: /.*/ }]",
    "slash_values": '}, {"date": "1/2/2026"}',
    "regex_path_continues": '}, {"pin": /.*/foo',
    "division_in_code": "}, { ratio: /2 }",
    "japanese": "東京、大阪、{ 名古屋 }",
    "city_list": "Saint-Étienne, Nice; Lyon (69)",
}


@pytest.mark.parametrize(("value", "attack"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh25_shape_is_caught(engine: Engine, value: str, attack: str) -> None:
    for ctx in (BODY, QUERY, COOKIE):
        found = engine.inspect(value, ctx)
        assert found is not None and found.rule.attack == attack, (value, ctx, found)


@pytest.mark.parametrize("value", BENIGN.values(), ids=BENIGN.keys())
def test_fresh25_look_alike_passes(engine: Engine, value: str) -> None:
    for ctx in (BODY, QUERY):
        assert engine.inspect(value, ctx) is None, (value, ctx)


def test_func_operators_as_keys() -> None:
    assert nosqli("$func", Context("body", "name", is_key=True)) is not None
    assert nosqli("$fn", Context("body", "name", is_key=True)) is not None
    assert nosqli("func", Context("body", "name", is_key=True)) is None


ADVERSARIAL: list[tuple[Callable[[str], object], str]] = [
    (is_sqli, "1; copy t(" + "a, " * 45_000),
    (is_sqli, "1; copy t(a, b) to x; " * 6_000),
    (is_cmdi, ";$(" * 44_000),
    (is_cmdi, ";$(tr a b " + "<" * 130_000),
    (is_cmdi, ";$(" + "a" * 130_000 + "<<<"),
    (lambda v: nosqli(v, BODY), "}, {" * 33_000),
    (lambda v: nosqli(v, BODY), "}, {a: /" * 17_000),
    (lambda v: nosqli(v, BODY), "}, {a: /.*/" * 12_000),
]


@pytest.mark.parametrize(("check", "value"), ADVERSARIAL)
def test_fresh25_adversarial_values_are_linear(check: Callable[[str], object], value: str) -> None:
    value = value[: 128 * 1024]
    start = time.process_time()
    check(value)
    assert time.process_time() - start < 1.0


def test_fresh25_adversarial_through_the_engine(engine: Engine) -> None:
    for value in ("}, {a: /" * 17_000, ";$(x <<<" * 16_000, "1; copy t(a) " * 10_000):
        start = time.process_time()
        engine.inspect(value[: 128 * 1024], BODY)
        assert time.process_time() - start < 1.0
