"""OTLP/HTTP protobuf encoding of finished spans: an ``ExportTraceServiceRequest`` written by hand.

Only what bastion emits is encoded — resource and span attributes (string, bool, int, float), kind,
times, parent, trace state, status — with the field numbers of opentelemetry-proto's
``trace/v1/trace.proto`` and ``common/v1/common.proto``. Pure functions, no I/O. The tests decode
the output with the official generated classes (``opentelemetry-proto``), so the two cannot drift
silently. Why not the SDK's encoder: docs/decisions/0003-tracing.md.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from typing import NamedTuple

AttrValue = str | bool | int | float
Attributes = tuple[tuple[str, AttrValue], ...]

KIND_INTERNAL, KIND_SERVER, KIND_CLIENT = 1, 2, 3
STATUS_UNSET, STATUS_ERROR = 0, 2
_LOCAL, _REMOTE = 0x101, 0x301
"""Span flags: sampled (0x01), whether the parent is remote is known (0x100), it is (0x200)."""


class SpanRecord(NamedTuple):
    trace_id: int
    span_id: int
    parent_id: int
    """0 for a root span."""
    name: str
    kind: int
    start_ns: int
    end_ns: int
    attributes: Attributes
    status: int = STATUS_UNSET
    trace_state: str = ""
    remote_parent: bool = False
    """The parent came from the caller's ``traceparent``."""


def _varint(n: int) -> bytes:
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _len_field(field: int, payload: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(payload)) + payload


def _str_field(field: int, text: str) -> bytes:
    return _len_field(field, text.encode("utf-8", "replace"))


def _any_value(value: AttrValue) -> bytes:
    if isinstance(value, bool):  # before int: bool is an int
        return b"\x10" + (b"\x01" if value else b"\x00")
    if isinstance(value, int):
        return b"\x18" + _varint(value & 0xFFFFFFFFFFFFFFFF)  # int64, two's complement
    if isinstance(value, float):
        return b"\x21" + struct.pack("<d", value)
    return _str_field(1, value)


_KEYS: dict[str, bytes] = {}
"""Encoded attribute keys: bastion's own constant names, so the cache stays small."""


def _key_value(key: str, value: AttrValue) -> bytes:
    k = _KEYS.get(key)
    if k is None:
        k = _KEYS[key] = _str_field(1, key)
    return _len_field(9, k + _len_field(2, _any_value(value)))


def _attributes(attrs: Iterable[tuple[str, AttrValue]]) -> bytes:
    return b"".join(_key_value(k, v) for k, v in attrs)


def encode_span(s: SpanRecord) -> bytes:
    body = [
        b"\x0a\x10" + s.trace_id.to_bytes(16, "big"),
        b"\x12\x08" + s.span_id.to_bytes(8, "big"),
    ]
    if s.trace_state:
        body.append(_str_field(3, s.trace_state))
    if s.parent_id:
        body.append(b"\x22\x08" + s.parent_id.to_bytes(8, "big"))
    body += [
        _str_field(5, s.name),
        b"\x30" + _varint(s.kind),
        b"\x39" + struct.pack("<Q", s.start_ns),
        b"\x41" + struct.pack("<Q", s.end_ns),
        _attributes(s.attributes),
    ]
    if s.status:
        body.append(_len_field(15, b"\x18" + _varint(s.status)))
    body.append(b"\x85\x01" + struct.pack("<I", _REMOTE if s.remote_parent else _LOCAL))
    return _len_field(2, b"".join(body))


def encode_request(spans: Sequence[SpanRecord], resource: Attributes, scope: str, version: str) -> bytes:
    """One ``ExportTraceServiceRequest`` holding ``spans`` under one resource and instrumentation scope."""
    res = _len_field(1, b"".join(_len_field(1, _str_field(1, k) + _len_field(2, _any_value(v))) for k, v in resource))
    scope_msg = _len_field(1, _str_field(1, scope) + _str_field(2, version))
    scope_spans = _len_field(2, scope_msg + b"".join(encode_span(s) for s in spans))
    return _len_field(1, res + scope_spans)
