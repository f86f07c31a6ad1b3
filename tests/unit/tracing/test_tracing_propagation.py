"""Unit: W3C Trace Context parsing — valid ``traceparent`` headers are continued, every malformed one is
ignored (a new trace, never an error), ``tracestate`` is passed on only when well formed."""

from __future__ import annotations

import pytest

from bastion.tracing.propagation import Parent, clean_tracestate, format_traceparent, parse_traceparent

TRACE = "0af7651916cd43dd8448eb211c80319c"
SPAN = "b7ad6b7169203331"


@pytest.mark.parametrize(("value", "expected"), [
    (f"00-{TRACE}-{SPAN}-01", Parent(int(TRACE, 16), int(SPAN, 16), True)),
    (f"00-{TRACE}-{SPAN}-00", Parent(int(TRACE, 16), int(SPAN, 16), False)),
    (f"00-{TRACE}-{SPAN}-03", Parent(int(TRACE, 16), int(SPAN, 16), True)),  # other flag bits: ignored
    (f"cc-{TRACE}-{SPAN}-01-what-the-future-holds", Parent(int(TRACE, 16), int(SPAN, 16), True)),
    (f"cc-{TRACE}-{SPAN}-01", Parent(int(TRACE, 16), int(SPAN, 16), True)),
])
def test_valid_traceparent_is_continued(value: str, expected: Parent) -> None:
    assert parse_traceparent([value]) == expected


@pytest.mark.parametrize("value", [
    "",
    "garbage",
    f"00-{TRACE}-{SPAN}",                              # no flags
    f"00-{TRACE}-{SPAN}-1",                            # short flags
    f"00-{TRACE}-{SPAN}-01-",                          # version 00 has exactly four fields
    f"00-{TRACE}-{SPAN}-01-extra",
    f"cc-{TRACE}-{SPAN}-01x",                          # a later version may only append "-…"
    f"ff-{TRACE}-{SPAN}-01",                           # version ff is invalid
    f"00-{TRACE.upper()}-{SPAN}-01",                   # upper-case hex
    f"0A-{TRACE}-{SPAN}-01",
    f"00-{TRACE[:-1]}g-{SPAN}-01",                     # not hex
    f"00-{'0' * 32}-{SPAN}-01",                        # all-zero trace id
    f"00-{TRACE}-{'0' * 16}-01",                       # all-zero span id
    f"00_{TRACE}_{SPAN}_01",                           # wrong separators
    f"00-{TRACE}0-{SPAN[:-1]}-01",                     # fields shifted
    f" 00-{TRACE}-{SPAN}-01",
    f"00-{TRACE}-{SPAN}-0\u0661",                      # a non-ASCII digit
    f"00-+{TRACE[1:]}-{SPAN}-01",                      # int() would accept a sign
    f"00-{TRACE[:30]}_1-{SPAN}-01",                    # int() would accept an underscore
])
def test_malformed_traceparent_is_ignored(value: str) -> None:
    assert parse_traceparent([value]) is None


def test_no_or_repeated_traceparent_is_ignored() -> None:
    good = f"00-{TRACE}-{SPAN}-01"
    assert parse_traceparent([]) is None
    assert parse_traceparent([good, good]) is None


def test_format_round_trips() -> None:
    value = format_traceparent(int(TRACE, 16), int(SPAN, 16), True)
    assert value == f"00-{TRACE}-{SPAN}-01"
    assert parse_traceparent([format_traceparent(1, 2, False)]) == Parent(1, 2, False)


@pytest.mark.parametrize(("values", "expected"), [
    ([], ""),
    (["congo=t61rcWkgMzE"], "congo=t61rcWkgMzE"),
    (["rojo=00f067aa0ba902b7", "congo=t61rcWkgMzE"], "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
    (["rojo=1 , ,congo=2"], "rojo=1,congo=2"),                  # optional whitespace, empty members
    (["tenant@vendor=x"], "tenant@vendor=x"),
    (["Rojo=1"], ""),                                           # keys are lower case
    (["rojo=1,rojo=2"], ""),                                    # duplicate key
    (["rojo=a=b,c"], ""),                                       # "=" in a value, member without "="
    (["rojo=\x00"], ""),
    ([",".join(f"k{i}=v" for i in range(33))], ""),             # more than 32 members
    (["k=" + "v" * 600], ""),                                   # longer than 512
])
def test_tracestate_is_passed_on_only_when_well_formed(values: list[str], expected: str) -> None:
    assert clean_tracestate(values) == expected
