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
_LOCAL, _REMOTE = b"\x85\x01" + struct.pack("<I", 0x101), b"\x85\x01" + struct.pack("<I", 0x301)
"""Span flags (field 16, fixed32): sampled (0x01), whether the parent is remote is known (0x100), it is (0x200)."""


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


def _varint_loop(n: int) -> bytes:
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


_SMALL = [_varint_loop(n) for n in range(1 << 14)]
"""Varints below 16384 (tags, lengths of everything but a whole batch), looked up instead of computed."""


def _varint(n: int) -> bytes:
    return _SMALL[n] if n < 16384 else _varint_loop(n)


def _len_field(field: int, payload: bytes) -> bytes:
    n = len(payload)
    return _SMALL[field << 3 | 2] + (_SMALL[n] if n < 16384 else _varint_loop(n)) + payload


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


_ENCODED: dict[tuple[str, AttrValue], bytes] = {}
"""Encoded attributes seen before: keys are bastion's own names and most values repeat (methods,
routes, status codes, policy decisions). High-cardinality ones are never cached; the cache is bounded."""
_UNCACHED = frozenset({"bastion.request_id", "client.address"})
_MAX_CACHED = 4096


_KEYS: dict[str, bytes] = {}
"""Encoded attribute keys (field 1 of ``KeyValue``): bastion's own constant names."""


def _key_value(key: str, value: AttrValue) -> bytes:
    k = _KEYS.get(key)
    if k is None:
        k = _KEYS[key] = _str_field(1, key)
    if type(value) is str:  # the common case, written out: string_value (field 1) in value (field 2)
        v = value.encode("utf-8", "replace")
        if len(v) < 16000:
            any_value = b"\x0a" + _SMALL[len(v)] + v
            kv = k + b"\x12" + _SMALL[len(any_value)] + any_value
            return b"\x4a" + _varint(len(kv)) + kv
    return _len_field(9, k + _len_field(2, _any_value(value)))


def _attributes(attrs: Iterable[tuple[str, AttrValue]]) -> bytes:
    out = []
    cache = _ENCODED
    for kv in attrs:
        encoded = cache.get(kv)
        if encoded is None:
            encoded = _key_value(*kv)
            if kv[0] not in _UNCACHED and len(cache) < _MAX_CACHED:
                cache[kv] = encoded
        out.append(encoded)
    return b"".join(out)


_NAMES: dict[str, bytes] = {}
"""Encoded span names (``GET /orders/{id}``, ``policy jwt``…): as many as methods × routes and policies."""
_TO_BYTES = int.to_bytes
_PACK_TIMES = struct.Struct("<BQBQ").pack  # start (field 7) and end (field 8), both fixed64


def encode_span(s: SpanRecord) -> bytes:
    name = _NAMES.get(s.name)
    if name is None:
        name = _str_field(5, s.name)
        if len(_NAMES) < _MAX_CACHED:
            _NAMES[s.name] = name
    body = b"".join((
        b"\x0a\x10", _TO_BYTES(s.trace_id, 16, "big"), b"\x12\x08", _TO_BYTES(s.span_id, 8, "big"),
        _str_field(3, s.trace_state) if s.trace_state else b"",
        b"\x22\x08" + _TO_BYTES(s.parent_id, 8, "big") if s.parent_id else b"",
        name, _SMALL[0x30], _SMALL[s.kind], _PACK_TIMES(0x39, s.start_ns, 0x41, s.end_ns),
        _attributes(s.attributes),
        _len_field(15, b"\x18" + _SMALL[s.status]) if s.status else b"",
        _REMOTE if s.remote_parent else _LOCAL,
    ))
    return _len_field(2, body)


def encode_request(spans: Sequence[SpanRecord], resource: Attributes, scope: str, version: str) -> bytes:
    """One ``ExportTraceServiceRequest`` holding ``spans`` under one resource and instrumentation scope."""
    res = _len_field(1, b"".join(_len_field(1, _str_field(1, k) + _len_field(2, _any_value(v))) for k, v in resource))
    scope_msg = _len_field(1, _str_field(1, scope) + _str_field(2, version))
    scope_spans = _len_field(2, scope_msg + b"".join(encode_span(s) for s in spans))
    return _len_field(1, res + scope_spans)
