"""Unit: fresh19/fresh20 shapes of SQL and command injection: SQL Server dynamic SQL run from a variable, logic words
glued to numbers, doubled quotes, typographic quotes, a commented ``ORDER BY`` clause, PHP probe statements, an echo
of a marker after a separator, server-side include directives, and a break before a command in XML element text.

Each attack uses values of its own, paired with benign look-alikes that must keep passing.
"""

from __future__ import annotations

import time

import pytest

from bastion.detection import Engine
from bastion.detection.fields import xml_fields
from bastion.detection.rules import Context

FIELD = Context("body", "note")


def _attack(engine: Engine, value: str) -> str | None:
    found = engine.inspect(value, FIELD)
    return found.rule.attack if found is not None else None


@pytest.mark.parametrize("value", [
    "0x53454c454354202a2046524f4d207573657273 exec(@cmd)",
    "1 0x4445434c415245 EXECUTE(@x)",
    "set @sql=0x77616974666f722064656c6179;exec @sql",
    "x' SELECT @s=0x73656c656374 EXEC sp_executesql @s--",
    "0xDEADBEEF00112233\texec ( @payload )",
])
def test_sql_server_dynamic_sql_from_a_hex_literal_or_variable_is_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    "2or2=2", "7 or7=7", "5and5=5", "3and 3=3", "9xor9=1", "10or 10=10",
])
def test_a_logic_word_glued_to_numbers_is_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    "'x'') or (''b''=''b'", '"q"") or (""z""=""z"', 'abc"") OR (""1""=""1"',
])
def test_a_breakout_written_with_doubled_quotes_is_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    "‘ or ‘x’=’x", "admin’ or ’2’=’2", "“ or “a”=“a", "x＇ or ＇1＇=＇1", "zz’ union select 1,2--",
])
def test_typographic_and_fullwidth_quotes_as_sql_quotes_are_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    "ORDER BY 3 ASC--", "order by 2 desc#", "GROUP BY 1,2 DESC/*", "order by price asc -- ",
])
def test_a_commented_order_by_clause_is_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    ":phpinfo();", ";getmypid();", "x|get_current_user();", "'.php_uname();", "abc:zend_version();",
])
def test_a_php_probe_statement_glued_to_a_separator_is_cmdi(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "cmdi"


@pytest.mark.parametrize("value", [
    "pending; echo marker-1234", "ok && echo pwned", "done || echo vuln_check", "x|echo INJECTED",
])
def test_an_echo_of_a_marker_after_a_separator_is_cmdi(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "cmdi"


@pytest.mark.parametrize("value", ["<!--#printenv-->", "<!--#printenv    -->", "x <!--#printenv", "<!--#config -->"])
def test_a_server_side_include_directive_without_arguments_is_cmdi(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "cmdi"


@pytest.mark.parametrize("value", [
    '<!--#echo var="DOCUMENT_ROOT" -->', '<!--#exec cmd="uname -a" -->', '<!--#include virtual="/web.config" -->',
    '<!--#config errmsg="x" -->', '<!--#fsize file="index.php" -->',
])
def test_server_side_include_directives_with_arguments_stay_detected(engine: Engine, value: str) -> None:
    assert _attack(engine, value) is not None


def test_a_break_then_a_command_with_a_typed_blank_in_xml_text_keeps_its_break(engine: Engine) -> None:
    values = [f[1] for f in xml_fields("<r><cmd>\n whoami \n</cmd></r>")]
    assert values[-1] == "\n whoami"
    assert _attack(engine, values[-1]) == "cmdi"


BENIGN = [
    # hex and exec in ordinary values
    "firmware 0x1A2B3C4D loaded", "exec summary for Q3", "color #0xff00ff00, exec team @alice",
    # codes with digits and logic words
    "A1or1", "v2or3", "SKU-4and5", "color1", "1.0or2", "or2", "and1", "Flat 2B, floor 1 or 2",
    "release 1.2 and 1.3", "3 or 4 items",
    # doubled quotes in text, CSV and search expressions
    'name="" or title=""', 'He said ""hello"" twice', '"{""a"":""b""}"', "it''s fine",
    # curly quotes in prose
    "O’Brien", "don’t stop", "“quoted” text", "‘Single’ or ‘double’ quotes", "Rock ’n’ roll = fun",
    "Fullwidth ＇quotes＇ here",
    # sorting
    "ORDER BY name ASC", "order by 1 desc", "sort: price asc -- cheapest first",
    # PHP in prose
    "call phpversion() first", "phpinfo shows the modules", "getmypid returns the id;",
    # echo in prose
    "Tokens: see docs; echo the sentiment of others", "echo chamber", "Echo; the nymph", "NAME=world; echo hi",
    "Step 1: build; echo done",
    # HTML comments
    "<!-- #region Main -->", "<!-- note -->", "<!--more-->", "# heading <!-- x -->",
]


@pytest.mark.parametrize("value", BENIGN)
def test_look_alikes_pass(engine: Engine, value: str) -> None:
    assert _attack(engine, value) is None


def test_pretty_printed_xml_text_still_drops_its_indentation() -> None:
    assert [f[1] for f in xml_fields("<r>\n  <id>\n    id\n  </id>\n</r>")][-1] == "id"
    assert [f[1] for f in xml_fields("<r><n>\r\n    42\r\n  </n></r>")][-1] == "42"


@pytest.mark.parametrize("value", [
    "0x" + "a" * 131072 + " exec",
    "1or" * 43690,
    'a""' * 43690,
    "‘" * 131072 + " or ’1’=’1",
    "O’Brien " * 16384,
    "order by 1" + " " * 131072 + "asc",
    "order by " + "a" * 131072 + " asc--",
    "order by " + "a." * 65536 + " desc#",
    ";" + " echo x;" * 16384,
    "a" * 131072 + "; echo x",
    "<!--#" * 26214,
    "1:phpversion()" * 9362,
    "set @a=" * 18724 + " exec",
])
def test_adversarial_values_of_these_shapes_are_inspected_in_linear_time(engine: Engine, value: str) -> None:
    start = time.process_time()
    engine.inspect(value, FIELD)
    assert time.process_time() - start < 1.0
