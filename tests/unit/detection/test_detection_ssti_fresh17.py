"""Unit: the fresh17 false positive. A ``@@`` glued to a letter, bracket or brace (an encoded map polyline, whose
alphabet is ``?`` to ``~``) is no SQL server variable: T-SQL reads ``a@@b`` as one name, ``[@@b]`` is a bracketed name
and no dialect starts a variable inside a word; ``@@version`` after a blank, operator, parenthesis or comma still
counts. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.shell import is_cmdi
from bastion.detection.sqli import is_sqli

BODY = Context("body", "comment")
QUERY = Context("query", "q")
ENGINE = Engine()

POLYLINES = [
    "w`hnGzt|ZkA@@JTCf@@ZjCvAeB@@YIgB{@@UIq@[@@eAj@`@_@M~@y@@uB",
    "mfp_I__vpAo@{@@UI]@k@[bB`Gd@@YBm@^e@N_@?a@~@`@qAj@{@@WaAJ",
]


@pytest.mark.parametrize("value", POLYLINES)
def test_encoded_polylines_pass(value: str) -> None:
    assert is_sqli(value) is None, value
    assert ENGINE.inspect(value, BODY) is None, value


SERVER_VARIABLES = [
    "1 and @@version like '8%'",
    "x'+@@servername+'",
    "(select @@datadir)",
    "1,@@hostname",
    "PRINT @@version",
]


@pytest.mark.parametrize("value", SERVER_VARIABLES)
def test_server_variables_still_refused(value: str) -> None:
    assert is_sqli(value) is not None, value


@pytest.mark.parametrize("value", ["`id`", "q=`uname -a`", "a;`cat /etc/hostname`"])
def test_backtick_substitution_still_refused(value: str) -> None:
    assert is_cmdi(value) is not None or ENGINE.inspect(value, QUERY) is not None, value


def test_new_rules_stay_linear() -> None:
    size = 128 * 1024
    for value in ("a@@" * (size // 3), "{@@" * (size // 3)):  # a quadratic scan would take minutes
        start = time.perf_counter()
        is_sqli(value)
        assert time.perf_counter() - start < 3.0, value[:20]
