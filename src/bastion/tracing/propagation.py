"""W3C Trace Context (https://www.w3.org/TR/trace-context/): strict ``traceparent`` parsing, formatting,
and ``tracestate`` validation. Pure functions, no I/O.

A header that does not parse is ignored — the gateway starts a new trace — and never fails the request.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_MAX_TRACESTATE = 512
_MAX_MEMBERS = 32
_MEMBER = re.compile(
    r"^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})"
    r"=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$")


class Parent(NamedTuple):
    """The caller's span context, from a valid ``traceparent``."""

    trace_id: int
    span_id: int
    sampled: bool


_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?", re.DOTALL)


def parse_traceparent(values: list[str]) -> Parent | None:
    """The parent from the request's ``traceparent`` header values, or None when there is none, more than
    one, or it is malformed: wrong length or separators, upper-case or non-hex digits, version ``ff``,
    an all-zero trace or span id, or (version 00) anything after the flags."""
    if len(values) != 1:
        return None
    m = _TRACEPARENT.fullmatch(values[0])
    if m is None:
        return None
    version, trace, span, flags, rest = m.groups()
    if version == "ff" or (rest is not None and version == "00"):
        return None  # version 00 has exactly four fields; later versions may only append "-…"
    trace_id, span_id = int(trace, 16), int(span, 16)
    if trace_id == 0 or span_id == 0:
        return None
    return Parent(trace_id, span_id, bool(int(flags, 16) & 1))


def format_traceparent(trace_id: int, span_id: int, sampled: bool) -> str:
    return f"00-{trace_id:032x}-{span_id:016x}-{'01' if sampled else '00'}"


def clean_tracestate(values: list[str]) -> str:
    """The ``tracestate`` to pass on: the header values joined, or "" when any member is malformed, a key
    repeats, there are more than 32 members or it is longer than 512 characters (the whole header is
    dropped then, as the specification allows)."""
    if not values:
        return ""
    joined = ",".join(values)
    if len(joined) > _MAX_TRACESTATE:
        return ""
    members = [m.strip(" \t") for m in joined.split(",")]
    members = [m for m in members if m]
    if len(members) > _MAX_MEMBERS:
        return ""
    keys: set[str] = set()
    for m in members:
        if not _MEMBER.match(m):
            return ""
        key = m.partition("=")[0]
        if key in keys:
            return ""
        keys.add(key)
    return ",".join(members)
