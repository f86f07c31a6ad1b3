"""The access log: one JSON line per request, ECS-like field names, redacted, written off the request path.

The Observer hands batches of ``Observed`` tuples (plain values, no formatting) to ``AccessLog.extend``,
a bounded deque of whole batches; a writer thread wakes once a second (sooner when a quarter of
``max_pending`` waits), turns what was queued into JSON lines column by column (``render_columns``) and
writes them with one write to stdout or a size-rotated file.

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
from itertools import chain, repeat
from math import floor
from operator import add, floordiv, mod, mul, truediv
from pathlib import Path
from typing import IO, Any

import orjson

from bastion.chain.exchange import Decision, Exchange
from bastion.observability.loop_metrics import uniform

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
_LINE = (b'{"@timestamp":"%s%s","http.request.id":%s,"client.ip":%s,"http.response.bytes":%s,'
         b'"event.duration":%s,"bastion.upstream.duration_ms":%s,"bastion.decisions":%s}\n')
"""A line, every field a ``%s``: the per-request fields (strings and numbers JSON-encoded by orjson), with
the fields that repeat from line to line pre-serialised in two pieces: client IP with user id, and decisions
with route/method/template/status. Formatted once per batch into that batch's line format, with the fields
that are one value for the whole batch written in (``%`` doubled) and ``%s`` for the rest."""
_WHO = b'%s,"user.id":%s'
_TAIL = b"%s,%s"
_NO_DECISIONS = b"[]"
_NUMERIC = b"0123456789.,-+enul"
"""What ``orjson.dumps`` writes for ints, floats and None (``null``), besides the array's brackets."""

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


_SECONDS: dict[int, bytes] = {}
"""Date-time part (``2026-11-29T23:43:15``) of recent seconds since the epoch."""


def _second(second: int) -> bytes:
    cached = _SECONDS.get(second)
    if cached is None:
        if len(_SECONDS) >= 64:
            _SECONDS.clear()
        cached = _SECONDS[second] = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S").encode()
    return cached


def _upstream_ms(upstream: float | None) -> float | None:
    return None if upstream is None else int(upstream * 1e6) / 1000


def _decision_names(decisions: Sequence[Decision]) -> bytes:
    return orjson.dumps([f"{d.policy}:{d.outcome}" for d in decisions]) if decisions else _NO_DECISIONS


Columns = tuple[Sequence[Any], ...]
"""A batch of ``Observed`` records column by column, as ``tuple(zip(*batch))`` gives it."""


def render_batch(batch: Sequence[Observed], ip_mode: str, key: bytes) -> bytes:
    """JSON lines for ``batch``, one per record (see ``render_columns``)."""
    return render_columns(tuple(zip(*batch, strict=True)), ip_mode, key) if batch else b""


def render_columns(columns: Columns, ip_mode: str, key: bytes) -> bytes:
    """JSON lines for a batch given column by column, one per record, made by one ``%`` format of the
    whole batch: the batch's line format (``_LINE``, with the fields that are one value for the whole batch
    written in) repeated once per record, filled from one flat tuple of the fields that vary, laid out by
    slice assignment. Every per-record step is C over a column: arithmetic and look-ups mapped over it, and
    one ``orjson.dumps`` of the request ids and one of the numbers (sizes, durations, upstream
    milliseconds), each split into the per-record values; Python runs once per distinct second, client (IP
    and identity) and route/method/template/status, and per record only for decisions and requests that
    never reached an upstream."""
    (_, received, duration, identity, route, template, method, _, ip, status, size, upstream, rid, _,
     decisions) = columns
    n = len(received)
    if not n:
        return b""
    dumps = orjson.dumps
    millis = list(map(floor, map(mul, received, repeat(1000.0))))  # floor: int() of these non-negative values, faster
    first = min(millis) // 1000
    dates: bytes | list[bytes]
    if first == max(millis) // 1000:  # the batch within one second
        dates = _second(first)
    else:
        seconds = list(map(floordiv, millis, repeat(1000)))
        date_of = {s: _second(s) for s in set(seconds)}
        dates = list(map(date_of.__getitem__, seconds))
    stamps = list(map(_MILLIS.__getitem__, map(mod, millis, repeat(1000))))
    # the request ids in one dumps for the whole column: a quote inside an encoded string is always escaped,
    # so '","' in the array occurs only between two elements
    ids: list[bytes] = dumps(rid)[2:-2].split(b'","')
    id_spec = b'"%s"'
    if len(ids) != n:
        ids, id_spec = list(map(dumps, rid)), b"%s"
    # the numbers in one dumps too: sizes, durations (ns, truncated) and upstream milliseconds (truncated to
    # the microsecond), column after column; a comma occurs only between two of them
    if None in upstream:
        upstream_ms = list(map(_upstream_ms, upstream))
    else:
        upstream_ms = list(map(truediv, map(floor, map(mul, upstream, repeat(1e6))), repeat(1000)))
    numbers = dumps([*size, *map(floor, map(mul, duration, repeat(1e9))), *upstream_ms])
    if numbers.translate(None, _NUMERIC) != b"[]":
        raise ValueError("access log: a size or duration that is not a number")
    values = numbers[1:-1].split(b",")
    hide = truncate_ip if ip_mode == "truncated" else (lambda a: pseudonym(a, key)) if ip_mode == "hashed" else str

    def who_is(client: tuple[str, str]) -> bytes:
        address, user = client
        return _WHO % (dumps(hide(address)), dumps(pseudonym(user, key) if "@" in user else (user or None)))

    who: bytes | list[bytes]
    if uniform(ip) and uniform(identity):
        who = who_is((ip[0], identity[0]))
    else:
        clients = list(zip(ip, identity, strict=True))
        who_of = {c: who_is(c) for c in set(clients)}
        who = list(map(who_of.__getitem__, clients))
    tail: bytes | list[bytes]
    if uniform(route) and uniform(method) and uniform(template) and uniform(status):
        static = _static((route[0], method[0], template[0], status[0]))
        if not any(decisions):
            tail = _TAIL % (_NO_DECISIONS, static)
        else:
            tail = list(map(_TAIL.__mod__, zip(map(_decision_names, decisions), repeat(static))))
    else:
        repeating = list(zip(route, method, template, status, strict=True))
        statics = {k: _static(k) for k in set(repeating)}
        names = map(_decision_names, decisions) if any(decisions) else repeat(_NO_DECISIONS)
        tail = list(map(_TAIL.__mod__, zip(names, map(statics.__getitem__, repeating), strict=False)))
    fields = (dates, stamps, ids, who, values[:n], values[n:2 * n], values[2 * n:], tail)
    specs = (b"%s", b"%s", id_spec, b"%s", b"%s", b"%s", b"%s", b"%s")
    line = _LINE % tuple(f.replace(b"%", b"%%") if isinstance(f, bytes) else spec
                          for f, spec in zip(fields, specs, strict=True))
    varying = [f for f in fields if not isinstance(f, bytes)]
    k = len(varying)
    flat: list[bytes] = [b""] * (k * n)
    for i, column in enumerate(varying):
        flat[i::k] = column
    return (line * n) % tuple(flat)


class AccessLog:
    def __init__(self, output: str = "stdout", *, max_bytes: int = 100 << 20, backups: int = 5,
                 max_pending: int = 50_000, client_ip: str = "full", key: bytes | None = None,
                 interval: float = 1.0) -> None:
        self.output, self.max_bytes, self.backups = output, max_bytes, backups
        self.max_pending, self.ip_mode, self.interval = max_pending, client_ip, interval
        self._key = key or os.urandom(32)
        self._queue: deque[Columns] = deque()
        """Whole batches, column by column as the Observer hands them over (rendered and written by the
        writer thread)."""
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
        """Queue a batch of records for the writer thread (see ``extend_columns``)."""
        if batch:
            self.extend_columns(tuple(zip(*batch, strict=True)))

    def extend_columns(self, columns: Columns) -> None:
        """Queue a batch, column by column, for the writer thread (kept as is: the caller must not change
        it afterwards); beyond ``max_pending`` records the rest are dropped and counted."""
        n = len(columns[0])
        room = max(self.max_pending - self.pending, 0)
        if room < n:
            self._refused += n - room
            columns, n = tuple(column[:room] for column in columns), room
        if n:
            self._queue.append(columns)
            self._accepted += n
            if self._accepted - self._rendered > self.max_pending >> 2:  # wake the writer before the queue fills
                self._wake.set()

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
            self._wake.clear()
            self._drain()

    def _drain(self) -> None:
        """Render every queued batch as one (the per-batch steps are paid once per wake-up: the columns are
        joined in C), or batch by batch if that fails, so a record that cannot be rendered loses only its
        own batch."""
        batches: list[Columns] = []
        while self._queue:
            batches.append(self._queue.popleft())
        if not batches:
            return
        try:
            joined = batches[0]
            if len(batches) > 4:
                joined = tuple(map(tuple, map(chain.from_iterable, zip(*batches, strict=True))))
            else:  # two to four batches: tuple concatenation, column by column
                for more in batches[1:]:
                    joined = tuple(map(add, joined, more))
            data = render_columns(joined, self.ip_mode, self._key)
        except Exception:
            data = b"".join(map(self._render_alone, batches))
        self._rendered += sum(len(columns[0]) for columns in batches)
        if data:
            self._write(data)

    def _render_alone(self, columns: Columns) -> bytes:
        try:
            return render_columns(columns, self.ip_mode, self._key)
        except Exception:  # a record that cannot be rendered must not stop the writer
            self._unrendered += len(columns[0])
            log.exception("access log: %d lines could not be rendered", len(columns[0]))
            return b""

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
