"""Unit: the shapes of the fresh67 first contact (API security testing tools' payloads: Astra's payload files and
metlo's injection test data, against the Recurly API's recorded exchanges).

Fixed: a string-evaluating sink handed the page's address, referrer, cookie or window name
(``eval(URL.slice(-8))>#alert(1)``, ``setTimeout(location.hash.slice(1))``: DOM-based injection whose code rides in
the URL fragment) (``js_indirect._DOM_SOURCE_EVAL``); a lone carriage return right before a ``Name: value`` line in a
body field, whatever the field's name (``#\\rX-Test: 1``) (``signatures._LONE_CR_THEN_FIELD``). Left missed: a body
field whose first line is empty or punctuation and whose next line is a non-standard header (``\\nCRLF-Test: …``),
and still-encoded ``%0a``/``%u000a`` in a body. No false positive. Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("query", "q"), Context("path", "")]


REJECTED = {
    "a string-evaluating sink handed the page's address": [
        "eval(location.hash.substr(1))",
        "eval(URL.slice(-12))>#confirm(7)",
        "setTimeout(location.hash.slice(1))",
        "setInterval(decodeURIComponent(location.hash.slice(1)))",
        "Function(atob(location.hash.slice(1)))()",
        "eval(document.URL.split('#')[1])",
        "eval(window.name)",
        "x=1;setTimeout(document.referrer.slice(30))",
    ],
}
REJECTED_IN_BODY = {
    "a lone carriage return before a header line": [
        "#\rX-Injected: yes",
        "?\rSet-Thing: 1",
        "\rMy-Header: value",
        "/..\rX-Forwarded-Host: evil.example",
        "token\rAnything-Goes: here",
    ],
}

PASSED = {
    "code and prose that name the page's address without evaluating it": [
        "location.hash.slice(1)",
        "setTimeout(refresh, 500)",
        "setInterval(function () { poll(location.href); }, 1000)",
        "setTimeout(location_update, 500)",
        "The eval(x) call reads the location of the page",
        "Function(name) returns the name",
        "const url = new URL(location.href);",
    ],
    "text with ordinary line ends and labels": [
        "Line one\r\nTotal: 5",
        "Shipping\nNote: leave at the door",
        "Dear customer,\r\n\r\nAmount due: 10.00 USD",
        "a\r\nb: c",
    ],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


@pytest.mark.parametrize("value", [v for vs in REJECTED_IN_BODY.values() for v in vs])
def test_rejected_in_body(engine: Engine, value: str) -> None:
    for name in ("comment", "note", "description", "memo"):
        assert engine.inspect(value, Context("body", name)) is not None, (name, value)


@pytest.mark.parametrize(
    "unit",
    [
        "eval(location.hash",
        "setTimeout(decodeURI(",
        "eval(URL",
        "setInterval( window . name",
        "#\rX-A: 1 ",
        "\r\r\rA:",
        "a\rb",
    ],
)
def test_linear(inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    half = unit * (64 * 1024 // len(unit))
    whole = half + half
    assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
