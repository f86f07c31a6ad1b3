"""Unit: single tokens of letters, digits and ``._:/-`` skip the SQL and shell analysers (they cannot carry either
injection), while every look-alike that does carry one is still refused."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine
from bastion.detection.engine import ANALYSERS, _inert

HOST = Context(kind="header", name="host")
QUERY = Context(kind="query", name="v")
PATH = Context(kind="path", name="")


@pytest.mark.parametrize("value", ["127.0.0.1:8080", "10.0.0.7:443", "2024-06-01", "2024-06-01T10:30:00Z", "10:30",
                                   "1.2.3-beta.4", "v2/orders/42", "echo", "id", "whoami", "sleep", "select",
                                   "union", "9f86d081884c7d65", "en-GB", "/usr/local/bin"])
def test_inert_tokens_are_not_analysed_as_sql_or_shell(engine: Engine, value: str) -> None:
    assert _inert(value)
    assert ANALYSERS["sqli"](value, QUERY) is None and ANALYSERS["cmdi"](value, QUERY) is None
    assert engine.inspect(value, QUERY) is None and engine.inspect(value, HOST) is None


@pytest.mark.parametrize(("value", "cls"), [
    ("--sp_password", "sqli"),             # an SQL comment stays with the analyser
    ("1 or 1=1", "sqli"), ("1'or'1'='1", "sqli"), ("1;select pg_sleep(5)", "sqli"), ("1)or(1=1", "sqli"),
    ("1/**/or/**/1=1", "sqli"), ("1 union select null--", "sqli"),
    ("a;id", "cmdi"), ("x|whoami", "cmdi"), ("$(id)", "cmdi"), ("`id`", "cmdi"), ("a&&cat /etc/hosts", "cmdi"),
    ("x%0aid", "cmdi"),                    # decoded before the analysers see it
])
def test_look_alikes_that_carry_an_injection_are_still_refused(engine: Engine, value: str, cls: str) -> None:
    assert not _inert(value) or "%" in value
    found = engine.inspect(value, QUERY)
    assert found is not None, value
    assert found.rule.attack == cls, (value, found.rule.attack)


def test_inert_check_is_linear_on_a_long_token() -> None:
    import time

    value = "a1.:/-" * 22_000  # 128 KiB
    started = time.process_time()
    assert _inert(value) and ANALYSERS["sqli"](value, PATH) is None
    assert time.process_time() - started < 0.5
