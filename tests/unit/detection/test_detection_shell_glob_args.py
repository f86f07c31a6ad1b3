"""Unit: a command after a shell separator whose argument is a glob (``;cat *``, ``|type *.ini``, ``$(ls *)``), the
parent folder (``;ls ..``) or a dot-file (``;cat .env``). Those arguments are written only for a shell, which expands
``*`` into every file name of the folder; before, ``;ls`` was refused but ``;ls *`` passed. Values are our own."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine

CONTEXTS = [Context("body", "comment"), Context("query", "q"), Context("header", "x-note"), Context("cookie", "c")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = [
    ";cat *",
    "report;ls *.php",
    "|cat *.conf",
    "x & type *.ini",
    ";echo *",
    ";cp * /tmp",
    "`cat *`",
    "$(ls *)",
    "1;head *",
    ";ls ..",
    "a|cat .env",
    ";more .htaccess",
]

ACCEPTED = [
    "Rated 4.5 * 2 = 9",
    "Delivery: fast; packaging * excellent",
    "* first item\n* second item",
    "See the notes; more .NET samples are in the repo",
    "Tom & Jerry * classic",
    "Wildcard search: name:jo* AND city:par*",
    "We use .env files; see the docs.",
]


@pytest.mark.parametrize("value", REJECTED)
@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: c[0])
def test_command_with_glob_or_dotfile_argument_is_rejected(engine: Engine, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == "cmdi", value


@pytest.mark.parametrize("value", ACCEPTED)
def test_prose_with_stars_and_dots_is_accepted(engine: Engine, value: str) -> None:
    assert engine.inspect(value, Context("body", "comment")) is None, value


def test_glob_argument_is_linear(engine: Engine) -> None:
    value = ";ls " + "a" * 60 + ("*a" * 65_000)
    start = time.process_time()
    engine.inspect(value, Context("body", "comment"))
    assert time.process_time() - start < 2.0
