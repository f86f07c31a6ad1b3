"""The access log: one JSON line per request, ECS-like field names, redacted, written off the request path.

The Observer hands batches of ``Observed`` tuples (plain values, no formatting) to ``AccessLog.extend``,
a bounded deque; a writer thread turns them into JSON lines and writes them to stdout or a size-rotated
file.

Redaction: no header values, no query string, no bodies; the path is the route template
(``/orders/{order_id}``), never the raw path with object ids; identities that look like e-mail
addresses are replaced by a keyed hash; the client IP can be truncated or hashed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import sys
import threading
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import orjson

from bastion.chain.exchange import Decision, Exchange

Observed = tuple[float, float, str, str, str, str, str, str, int, int, float | None, str, dict[str, str],
                 list[Decision]]
"""One completed exchange as the Observer captures it: completed at, received at, identity, route id,
path template, method, path, client IP, status, bytes sent, upstream duration, request id, path
parameters, decisions. Plain values only: no headers, no bodies."""


def pseudonym(value: str, key: bytes) -> str:
    return "h:" + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


_SECOND: list[tuple[int, str]] = [(-1, "")]


def timestamp(ts: float) -> str:
    """RFC 3339 UTC with milliseconds; the date-time part is formatted once per second."""
    second = int(ts)
    cached = _SECOND[0]
    if cached[0] != second:
        cached = _SECOND[0] = (second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S"))
    return f"{cached[1]}.{int((ts - second) * 1000):03d}Z"


_STATIC: dict[tuple[str, str, str, int], bytes] = {}
"""The fields that repeat from line to line (route, method, template, status), serialised once."""
_MAX_STATIC = 4096


def _static(route: str, method: str, template: str, status: int) -> bytes:
    key = (route, method, template, status)
    cached = _STATIC.get(key)
    if cached is None:
        cached = orjson.dumps({"event.dataset": "bastion.access", "bastion.route": route,
                               "http.request.method": method, "url.path": template,
                               "http.response.status_code": status})[1:-1]
        if len(_STATIC) < _MAX_STATIC:
            _STATIC[key] = cached
    return cached


def render(c: Observed, ip_mode: str, key: bytes) -> bytes:
    now, ts, identity, route, template, method, _, ip, status, size, upstream, rid, _, decisions = c
    if ip_mode == "truncated":
        net = ipaddress.ip_network(f"{ip}/{24 if ':' not in ip else 48}", strict=False) if ip else None
        ip = str(net.network_address) if net else ip
    elif ip_mode == "hashed":
        ip = pseudonym(ip, key)
    if "@" in identity:
        identity = pseudonym(identity, key)
    line = orjson.dumps({
        "@timestamp": timestamp(ts),
        "http.request.id": rid,
        "client.ip": ip,
        "user.id": identity or None,
        "http.response.bytes": size,
        "event.duration": int((now - ts) * 1e9) if now > ts else 0,
        "bastion.upstream.duration_ms": None if upstream is None else int(upstream * 1e6) / 1000,
        "bastion.decisions": [f"{d.policy}:{d.outcome}" for d in decisions] if decisions else [],
    })
    return line[:-1] + b"," + _static(route, method, template, status) + b"}\n"


class AccessLog:
    def __init__(self, output: str = "stdout", *, max_bytes: int = 100 << 20, backups: int = 5,
                 max_pending: int = 50_000, client_ip: str = "full", key: bytes | None = None,
                 interval: float = 0.2) -> None:
        self.output, self.max_bytes, self.backups = output, max_bytes, backups
        self.max_pending, self.ip_mode, self.interval = max_pending, client_ip, interval
        self._key = key or os.urandom(32)
        self._queue: deque[Observed] = deque()
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        self._fh: IO[bytes] | None = None
        self.dropped = 0

    def record(self, ex: Exchange, identity: str, duration: float) -> None:
        status = ex.response.status if ex.response is not None else 0
        self.extend([(ex.received_at + duration, ex.received_at, identity, ex.route.route_id, ex.route.template,
                      ex.request.method, ex.request.path, ex.request.client_ip, status, ex.bytes_sent,
                      ex.upstream_duration, ex.request_id, ex.route.params, list(ex.decisions))])

    def extend(self, batch: Sequence[Observed]) -> None:
        """Queue lines for the writer thread; beyond ``max_pending`` they are dropped and counted."""
        room = self.max_pending - len(self._queue)
        if room >= len(batch):
            self._queue.extend(batch)
            return
        if room > 0:
            self._queue.extend(batch[:room])
        self.dropped += len(batch) - max(room, 0)

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
        if not self._queue:
            return
        chunks: list[bytes] = []
        while self._queue:
            chunks.append(render(self._queue.popleft(), self.ip_mode, self._key))
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
