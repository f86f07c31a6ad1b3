"""Unit: the shapes of the fresh63 first contact (OWASP VulnerableApp's payloads, DVNA's and the SKF labs' write-up
inputs, against hcloud's recorded Hetzner Cloud answers).

Fixed: a number or a closed quote, ``OR``/``AND`` and a column compared with nothing, perhaps cut by a comment
(``1 OR id=#``: the error-based probe; ``sqli_tails.dangling_comparison``); mail header injection in any body field
when the break is a lone carriage return or the value is one token and a recipient header alone
(``signatures.mail_header``); a ``/`` path cut by a NUL written ``\\0`` (``signatures._BACKSLASH_ZERO_AFTER_PATH``);
and, the false positive, a network in CIDR notation in a URL-named field (a route's ``destination``) is no fetch
target (``ssrf._CIDR``). Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.sqli_tails import dangling_comparison

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]
BODY_ONLY = [BODY, Context("body", "title"), Context("body", "name", is_key=False)]

REJECTED = {
    "a comparison with no right-hand side": [
        "7 OR uid=#",
        "42 AND user_id<>--",
        "3 or t.price>= /* cut */",
        "x' AND name LIKE #",
        '9" OR k=',
        "-1 || flag!=",
    ],
    "a Unix path cut by a NUL written as a backslash zero": [
        "/etc/hostn\\0.jpg",
        "/var/www/app/config.php\\0.png",
        "/srv/files/a.txt\\0x00",
    ],
}
REJECTED_IN_BODY = {
    "a lone carriage return then a mail header": [
        "Hi\rBcc: someone@example.net",
        "order 17\rTo: x@example.org",
        "Greetings\rContent-Type: text/html",
    ],
    "one token, then a recipient header alone": [
        "Hello\r\nBcc:eve@example.net",
        "ticket-42\nCC: a@example.org, b@example.org",
        "Offer\nTo:z@example.com",
    ],
}

PASSED = {
    "numbers and words with or/and": [
        "1 or 2",
        "5 and id",
        "3 or more",
        "Pick 1 or id=3",
        "2 and 3 make five",
        "1 OR 2 (either works)",
        "version 2 or later",
    ],
    "notes that quote a mail or break lines": [
        "Thanks for the note\nCC: bob@example.com",
        "Hello team,\nCc: bob@example.com\nsee below",
        "FYI forwarded below\r\nTo: ops@example.org\r\nSubject: outage",
        "Line one\rLine two",
        "Notes\nCC list is in the wiki",
    ],
    "backslash zero outside a Unix path": [
        "D:\\photos\\09\\a.png",
        'printf("%s\\0", name)',
        "<p>Use \\0 to end the string</p>",
        "/usr/bin/x\\012",
        "C:\\data\\0001.png",
        "s/\\0/x/g",
    ],
}

NETWORKS = ["10.100.1.0/24", "10.0.0.0/8", "192.168.0.0/16", "fd00::/8", "172.16.5.0/28"]
FETCH_TARGETS = ["10.0.0.1", "10.0.0.1/admin", "127.0.0.1:8080", "http://10.0.0.0/24"]


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


@pytest.mark.parametrize("value", [v for vs in REJECTED_IN_BODY.values() for v in vs])
def test_rejected_in_body(engine: Engine, value: str) -> None:
    for ctx in BODY_ONLY:
        assert engine.inspect(value, ctx) is not None, (value, ctx)

@pytest.mark.parametrize("value", NETWORKS)
def test_network_in_url_field_passes(engine: Engine, value: str) -> None:
    for name in ("destination", "target", "source_url", "host"):
        assert engine.inspect(value, Context("body", name)) is None, (value, name)


@pytest.mark.parametrize("value", FETCH_TARGETS)
def test_fetch_target_in_url_field_refused(engine: Engine, value: str) -> None:
    assert engine.inspect(value, Context("body", "destination")) is not None, value


def test_helper() -> None:
    assert dangling_comparison("1 OR id=#") == (0, 9)
    assert dangling_comparison("1 OR id=2") is None
    assert dangling_comparison("or id=") is None


@pytest.mark.parametrize(
    "unit",
    [
        "1 OR id=",
        "1 OR " + "a" * 50 + " ",
        "' or x" * 3,
        "/a/b\\",
        "/aaaa",
        "Subject\r",
        "x\r\nCC:a@b.c,",
        "10.0.0.0/24 ",
    ],
)
def test_linear(inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    half = unit * (64 * 1024 // len(unit))
    whole = half + half
    for ctx in (BODY, Context("body", "destination"), Context("query", "q")):
        assert inspect_seconds(whole, ctx) < 3 * inspect_seconds(half, ctx) + 0.05, (unit, ctx)
