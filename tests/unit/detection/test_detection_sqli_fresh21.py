"""Unit: fresh21 shapes of SQL injection: control characters and empty comments standing in for blanks (sqlmap's
``space2mssqlblank``, ``space2mysqlblank``, ``space2comment``), a one-column ``UNION SELECT`` after a breakout, ``XOR``
after a number, MySQL's unary ``BINARY`` in a concatenation splice and a ``BEGIN … END`` block around a stacked
statement; a whole value that is one statement that destroys data or runs a system procedure (decision 0012).

Each attack uses values of its own, paired with benign look-alikes that must keep passing.
"""

from __future__ import annotations

import time

import pytest

from bastion.detection import Engine
from bastion.detection.rules import Context

FIELD = Context("body", "note")


def _attack(engine: Engine, value: str) -> str | None:
    found = engine.inspect(value, FIELD)
    return found.rule.attack if found is not None else None


@pytest.mark.parametrize("value", [
    "7\x07or\x075=5",
    "3\x0eAND\x0f4>2",
    "9\x01and\x02sleep(3)",
    "x'\x0eunion\x0eselect\x0epw,2--",
    "42\x10order\x10by\x103--",
    "5\x7for\x7f2=2",
])
def test_control_characters_read_as_blanks_in_a_probe_are_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    "8\x00xor\x003",
    "2\x0bor\x0bx",
    "UPDATE\x0eaccounts\x0eSET\x0frole=1",
    "DELETE\x01FROM\x01orders",
    "SELECT\x03pw\rFROM\x1baccounts",
    "name\x02from\x02members",
])
def test_an_sql_keyword_with_control_characters_for_blanks_is_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    "SELECT/**/pw/**/FROM/**/accounts",
    "UNION/**/ALL/**/SELECT/**/name",
    "x/**/or/**/y",
    "DELETE/**/FROM/**/logs",
])
def test_a_keyword_glued_to_an_empty_comment_is_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    "5 UNION SELECT password",
    "12   union   all   select   login",
    "' union select secret--",
    "abc\" UNION SELECT token#",
    "3\u00a0union\u00a0select\u00a0pw",
])
def test_a_one_column_union_select_after_a_breakout_is_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    "4 XOR 4", "0 xor 9", "17 XoR 1--",
    "5' + binary '5", "z' || binary 'z",
    "2'; BEGIN DELETE FROM logs END",
    "9; begin insert into audit values (1) end",
    "x'; BEGIN DROP TABLE sessions; END",
])
def test_operator_expressions_after_a_number_or_quote_are_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    "DROP TABLE order_items",
    "drop table if exists sessions;",
    "DROP DATABASE shop_prod",
    "drop schema audit cascade",
    "DROP PROCEDURE [dbo].[sp_sync]",
    "TRUNCATE TABLE logs_2024;--",
    "ALTER DATABASE shop SET SINGLE_USER WITH ROLLBACK IMMEDIATE",
    "LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE t",
    "EXEC master..xp_regread 'HKEY_LOCAL_MACHINE'",
    "insert into tmp exec sp_who2",
    "z' union exec xp_dirtree '\\\\host\\x'",
])
def test_a_whole_value_that_is_one_dangerous_statement_is_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"


@pytest.mark.parametrize("value", [
    "drop table walnut",
    "Drop table oak, 120 cm",
    "Drop leaf table for sale",
    "Please run DROP TABLE tmp_x tonight after the backup",
    "```sql\nDROP TABLE tmp_x;\n```",
    "Migration notes:\nDROP DATABASE shop_old;\nthen restore",
    "We should never allow EXEC xp_cmdshell on prod",
    "ALTER DATABASE shop SET RECOVERY SIMPLE -- do not run this in prod, see ticket 42\nthanks",
    "alter database settings for the team",
    "exec will create the case",
    "Truncate table names longer than 20 chars",
    "load data into the sheet",
])
def test_dangerous_statements_inside_text_or_fences_and_look_alikes_pass(engine: Engine, value: str) -> None:
    assert _attack(engine, value) is None


@pytest.mark.parametrize("value", [
    "\u00ab\u00a0texte\u00a0\u00bb",
    "10\u00a0\u20ac",
    "Prix\u00a0: 10\u00a0\u20ac ou 12\u00a0\u20ac\u00a0?",
    "Terms\u00a0and\u00a0Conditions",
    "1\u00a0or\u00a02 bedrooms",
    "select\u00a0a\u00a0plan",
    "Caf\u00e9 \u00ab\u00a0Le\u00a0Select\u00a0\u00bb from 10\u00a0\u20ac",
    "Page one\x0cFrom the desk of the editor",
    "Best regards\x0bFrom the team\x0bSelect one option",
    "Line one ends with and\x0bnext line",
    "Workers' union select leaders",
    "Local 32 union select reps",
    "The union select committee",
    "1 or 2 bedrooms",
    "2 XOR gates", "uses 4 xor circuits",
    "Notes; begin update of the plan",
    "C' + Binary search tree",
    "function(){/**/return}",
    "a/**/b",
    "Item\tone\nItem\rtwo from the list",
])
def test_benign_look_alikes_pass(engine: Engine, value: str) -> None:
    assert _attack(engine, value) is None


@pytest.mark.parametrize("value", [
    "\x0b" * 131072 + "or",
    "\x01or" * 43690,
    "select\x0e" * 18724,
    "1/**/" * 26214 + "union",
    "1 union select " * 8738,
    "5' + binary " * 10922,
    "; begin " * 16384,
    "drop table " + "a_" * 65536,
    "DROP DATABASE " + "x, " * 43690,
    "LOAD DATA INFILE '" + "a" * 131072,
])
def test_adversarial_values_of_these_shapes_are_inspected_in_linear_time(engine: Engine, value: str) -> None:
    start = time.process_time()
    engine.inspect(value, FIELD)
    assert time.process_time() - start < 1.0
