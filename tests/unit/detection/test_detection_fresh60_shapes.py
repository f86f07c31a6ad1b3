"""Unit: the shapes of the fresh60 first contact (OpenRASP's test pages, IAST scanner payloads and plugin SQL cases
against recorded Xbox Live API answers).

Fixed: a whole value that is the system's configuration, process or log directory without a trailing slash
(``/etc``, ``/proc``): ``signatures._SYSTEM_DIRECTORY`` accepted it but the prefilter's ``traversal`` triggers needed a
slash after the name; and macOS's ``/private/etc`` and ``/private/var/log`` (where ``/etc`` and ``/var`` point) as
directories and as paths into them. Left: a shell separator before one unknown word (``; name``: no command, no
argument, the shape of a header parameter), and a MongoDB connection URL to the loopback address among the test pages'
normal calls (the shape of an SSRF to an internal service, refused as ``ldap://127.0.0.1`` is). Values are our own;
none comes from a corpus."""

from __future__ import annotations

import re
import time

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.prefilter import TRIGGERS
from bastion.detection.signatures import SYSTEM_DIRECTORY_TRIGGER

BODY = Context("body", "folder")
CONTEXTS = [BODY, Context("header", "x-folder"), Context("cookie", "dir"), Context("query", "path")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = [
    "/etc",
    "/proc",
    "/var/log",
    " /etc ",
    "/proc/",
    "/private/etc",
    "/private/etc/",
    "/private/var/log",
    "/private/etc/ssh/sshd_config",
    "/private/var/log/install.log",
]

PASSED = [
    "/etcetera",
    "/procedures/intake",
    "/private",
    "/private/tmp/upload-7.csv",
    "/private/var/folders/q1/T/report.pdf",
    "/Users/mei/private/etc/recipes.txt",
    "/var/logs/app",
    "Config lives under /etc on most hosts.",
    "/etc is where the hosts file is kept, see the manual",
    "/api/v2/procurement",
]


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS, CONTEXTS)


def test_config_path_field_still_waived(engine: Engine) -> None:
    # an infrastructure document's mountPath (lower-cased as the engine compares it) names /etc on purpose
    assert engine.inspect("/etc", Context("body", "mountpath")) is None


def test_trigger_is_in_the_prefilter() -> None:
    assert SYSTEM_DIRECTORY_TRIGGER in TRIGGERS["traversal"]
    trigger = re.compile(SYSTEM_DIRECTORY_TRIGGER, re.I)
    assert trigger.search(b"/etc")
    assert trigger.search(b"x\x00 /private/var/log/a.log")
    assert not trigger.search(b"/etcetera")


@pytest.mark.parametrize("prefix", ["/private", " ", "/etc", "/private/etc/", "/"])
def test_engine_linear(engine: Engine, prefix: str) -> None:
    for value in (prefix * (128 * 1024 // len(prefix)), "/etc" + prefix * (128 * 1024 // len(prefix))):
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 2.0, prefix
