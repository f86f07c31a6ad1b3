"""The access log: one JSON line per request, ECS-like field names, redacted, written off the request path.

The Observer hands batches of ``Observed`` tuples (plain values, no formatting) to ``AccessLog.extend``,
a bounded deque of whole batches; a writer thread turns each batch into JSON lines column by column
(``render_batch``) and writes them with one write per wake-up to stdout or a size-rotated file.

Redaction: no header values, no query string, no bodies; the path is the route template
(``/orders/{order_id}``), never the raw path with object ids; identities that look like e-mail
addresses are replaced by a keyed hash; the client IP can be truncated or hashed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
import sys
import threading
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import repeat
from operator import mul, truediv
from pathlib import Path
from typing import IO

import orjson

from bastion.chain.exchange import Decision, Exchange

log = logging.getLogger("bastion.access_log")

Observed = tuple[float, float, float, str, str, str, str, str, str, int, int, float | None, str, dict[str, str],
                 Sequence[Decision]]
"""One completed exchange as the Observer captures it: completed at, received at, duration (completed
minus received, never negative), identity, route id,
path template, method, path, client IP, status, bytes sent, upstream duration, request id, path
parameters, decisions. Plain values only: no headers, no bodies."""


def pseudonym(value: str, key: bytes) -> str:
    return "h:" + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


def truncate_ip(ip: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network address."""
    if not ip:
        return ip
    return str(ipaddress.ip_network(f"{ip}/{24 if ':' not in ip else 48}", strict=False).network_address)


_MILLIS = [f".{i:03d}Z".encode() for i in range(1000)]
_LINE = (b'{"@timestamp":"%s","http.request.id":%s,"client.ip":%s,"user.id":%s,"http.response.bytes":%d,'
         b'"event.duration":%d,"bastion.upstream.duration_ms":%s,"bastion.decisions":%s,%s}\n')
"""A line: the per-request fields (strings JSON-encoded by orjson), then the fields that repeat."""
_NO_DECISIONS = b"[]"

_STATIC: dict[tuple[str, str, str, int], bytes] = {}
"""The fields that repeat from line to line (route, method, template, status), serialised once."""
_MAX_STATIC = 4096


def _static(key: tuple[str, str, str, int]) -> bytes:
    cached = _STATIC.get(key)
    if cached is None:
        route, method, template, status = key
        cached = orjson.dumps({"event.dataset": "bastion.access", "bastion.route": route,
                               "http.request.method": method, "url.path": template,
                               "http.response.status_code": status})[1:-1]
        if len(_STATIC) < _MAX_STATIC:
            _STATIC[key] = cached
    return cached


_SECOND: list[tuple[int, bytes]] = [(-1, b"")]


def _stamp(millis: int) -> bytes:
    """RFC 3339 UTC with milliseconds, from milliseconds since the epoch; the date-time part is formatted
    once per second."""
    second, ms = divmod(millis, 1000)
    cached = _SECOND[0]
    if cached[0] != second:
        cached = _SECOND[0] = (second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S").encode())
    return cached[1] + _MILLIS[ms]


def _upstream_ms(upstream: float | None) -> float | None:
    return None if upstream is None else int(upstream * 1e6) / 1000


def _decision_names(decisions: Sequence[Decision]) -> bytes:
    return orjson.dumps([f"{d.policy}:{d.outcome}" for d in decisions]) if decisions else _NO_DECISIONS


def render_batch(batch: Sequence[Observed], ip_mode: str, key: bytes) -> bytes:
    """JSON lines for ``batch``, one per record, built column by column: the per-record steps are C calls
    mapped over the columns (``zip``, arithmetic, ``orjson.dumps`` of each request id, one ``%`` format);
    Python runs once per distinct second, identity, client IP and route/status, and per record only for
    decisions and requests that never reached an upstream."""
    if not batch:
        return b""
    dumps = orjson.dumps
    (_, received, duration, identity, route, template, method, _, ip, status, size, upstream, rid, _,
     decisions) = zip(*batch, strict=True)
    millis = list(map(int, map(mul, received, repeat(1000.0))))
    stamps = {m: _stamp(m) for m in set(millis)}
    durations = map(mul, duration, repeat(1e9))  # %d truncates, as int() did
    if None in upstream:
        upstream_ms = map(dumps, map(_upstream_ms, upstream))
    else:
        upstream_ms = map(dumps, map(truediv, map(int, map(mul, upstream, repeat(1e6))), repeat(1000)))
    users = {i: dumps(pseudonym(i, key) if "@" in i else (i or None)) for i in set(identity)}
    hide = truncate_ip if ip_mode == "truncated" else (lambda a: pseudonym(a, key)) if ip_mode == "hashed" else str
    ips = {a: dumps(hide(a)) for a in set(ip)}
    names = map(_decision_names, decisions) if any(decisions) else repeat(_NO_DECISIONS, len(batch))
    repeating = list(zip(route, method, template, status, strict=True))
    statics = {k: _static(k) for k in set(repeating)}
    return b"".join(map(_LINE.__mod__, zip(
        map(stamps.__getitem__, millis), map(dumps, rid), map(ips.__getitem__, ip), map(users.__getitem__, identity),
        size, durations, upstream_ms, names, map(statics.__getitem__, repeating), strict=True)))


class AccessLog:
    def __init__(self, output: str = "stdout", *, max_bytes: int = 100 << 20, backups: int = 5,
                 max_pending: int = 50_000, client_ip: str = "full", key: bytes | None = None,
                 interval: float = 0.2) -> None:
        self.output, self.max_bytes, self.backups = output, max_bytes, backups
        self.max_pending, self.ip_mode, self.interval = max_pending, client_ip, interval
        self._key = key or os.urandom(32)
        self._queue: deque[Sequence[Observed]] = deque()
        """Whole batches, as the Observer hands them over (rendered and written by the writer thread)."""
        self._accepted = self._rendered = 0
        """Records queued (by the loop) and rendered (by the writer): each is written by one thread only."""
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        self._fh: IO[bytes] | None = None
        self._refused = self._unrendered = 0

    @property
    def dropped(self) -> int:
        """Lines lost: refused with the queue full, or (never expected) failing to render."""
        return self._refused + self._unrendered

    @property
    def pending(self) -> int:
        return self._accepted - self._rendered

    def record(self, ex: Exchange, identity: str, duration: float) -> None:
        status = ex.response.status if ex.response is not None else 0
        self.extend([(ex.received_at + duration, ex.received_at, max(duration, 0.0), identity, ex.route.route_id,
                      ex.route.template, ex.request.method, ex.request.path, ex.request.client_ip, status,
                      ex.bytes_sent, ex.upstream_duration, ex.request_id, ex.route.params, list(ex.decisions))])

    def extend(self, batch: Sequence[Observed]) -> None:
        """Queue a batch for the writer thread (kept as is: the caller must not change it afterwards);
        beyond ``max_pending`` records the rest are dropped and counted."""
        room = self.max_pending - self.pending
        if room < len(batch):
            self._refused += len(batch) - max(room, 0)
            batch = batch[:max(room, 0)]
        if batch:
            self._queue.append(batch)
            self._accepted += len(batch)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="bastion-access-log", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self._drain()
        if self._fh is not None and self._fh is not sys.stdout.buffer:
            self._fh.close()
        self._fh = None

    def _run(self) -> None:
        while not self._stop:
            self._wake.wait(self.interval)
            self._drain()

    def _drain(self) -> None:
        chunks: list[bytes] = []
        while self._queue:
            batch = self._queue.popleft()
            try:
                chunks.append(render_batch(batch, self.ip_mode, self._key))
            except Exception:  # a record that cannot be rendered must not stop the writer
                self._unrendered += len(batch)
                log.exception("access log: %d lines could not be rendered", len(batch))
            self._rendered += len(batch)
        if chunks:
            self._write(b"".join(chunks))

    def _write(self, data: bytes) -> None:
        if self.output == "stdout":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        path = Path(self.output)
        if self._fh is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = path.open("ab")
        if self._fh.tell() + len(data) > self.max_bytes and self._fh.tell() > 0:
            self._fh.close()
            self._rotate(path)
            self._fh = path.open("ab")
        self._fh.write(data)
        self._fh.flush()

    def _rotate(self, path: Path) -> None:
        if self.backups == 0:
            path.unlink(missing_ok=True)
            return
        for i in range(self.backups - 1, 0, -1):
            older = path.with_name(f"{path.name}.{i}")
            if older.exists():
                older.replace(path.with_name(f"{path.name}.{i + 1}"))
        path.replace(path.with_name(f"{path.name}.1"))
