"""What probes and the engine say to each other: the steps a probe yields and the replies it gets.

A probe is a generator (the httpx ``Auth`` flow style): it yields a ``ProbeRequest`` and receives a
``ProbeResponse``; it yields a ``CanaryPoll`` and receives the ``CanaryHits`` seen so far; it yields a
``TlsCheck`` and receives a ``TlsReport``. Its return value is its list of findings. Probes never do
I/O and never read the clock; response times arrive in ``ProbeResponse.elapsed``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import orjson

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM = "application/x-www-form-urlencoded"


def _form_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else orjson.dumps(value).decode()


@dataclass(frozen=True, slots=True)
class ProbeRequest:
    method: str
    path: str
    """Path on the target, beginning with ``/``; the engine refuses anything else."""
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    json: Any = None
    body: bytes | None = None
    identity: str | None = None
    """Whose credentials the engine adds (``a``, ``b``, ``admin``); None sends none."""
    purpose: str = "probe"
    """``baseline`` marks a valid request built from the spec; the passive checks judge only those."""
    operation: str = ""
    """The operation label (``GET /orders/{id}``) this request exercises, if any."""
    timeout: float | None = None

    def content(self) -> bytes:
        if self.body is not None:
            return self.body
        if isinstance(self.json, dict) and self.is_form:
            return urlencode({k: _form_text(v) for k, v in self.json.items() if v is not None}).encode()
        return b"" if self.json is None else orjson.dumps(self.json)

    @property
    def is_form(self) -> bool:
        """Are the ``json`` fields sent form-encoded (the request says so in its content type)?"""
        return any(k.lower() == "content-type" and v.startswith(FORM) for k, v in self.headers)


@dataclass(frozen=True, slots=True)
class ProbeResponse:
    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    elapsed: float = 0.0
    blocked: str = ""
    """Why the engine did not send the request (budget, unsafe method, timeout); ``status`` is then 0."""

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    def json(self) -> Any:
        try:
            return orjson.loads(self.body) if self.body else None
        except orjson.JSONDecodeError:
            return None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class CanaryPoll:
    token: str
    wait: float = 1.0
    """How long the engine may wait for a late callback before answering."""


@dataclass(frozen=True, slots=True)
class CanaryHits:
    paths: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TlsCheck:
    max_version: str | None = None
    """``TLSv1``/``TLSv1_1`` to see whether an old version is accepted; None for a default handshake."""


@dataclass(frozen=True, slots=True)
class TlsReport:
    connected: bool
    version: str = ""
    cipher: str = ""
    verify_error: str = ""
    not_after: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Offline:
    """Work that sends nothing but takes long (cracking a token's secret): the engine runs ``work`` on a
    worker thread, so requests other probes have in flight (and their timings) are not held up."""

    work: Callable[[], Any]


@dataclass(frozen=True, slots=True)
class OfflineResult:
    value: Any


Step = ProbeRequest | CanaryPoll | TlsCheck | Offline
Reply = ProbeResponse | CanaryHits | TlsReport | OfflineResult
Flow = Generator[Step, Reply, Any]


def send(request: ProbeRequest) -> Generator[Step, Reply, ProbeResponse]:
    """``response = yield from send(request)``: one request, typed reply."""
    reply = yield request
    assert isinstance(reply, ProbeResponse)
    return reply


def poll(token: str, wait: float = 1.0) -> Generator[Step, Reply, CanaryHits]:
    reply = yield CanaryPoll(token, wait)
    assert isinstance(reply, CanaryHits)
    return reply


def tls(max_version: str | None = None) -> Generator[Step, Reply, TlsReport]:
    reply = yield TlsCheck(max_version)
    assert isinstance(reply, TlsReport)
    return reply


def offline(work: Callable[[], Any]) -> Generator[Step, Reply, Any]:
    """``value = yield from offline(fn)``: ``fn()`` computed off the event loop."""
    reply = yield Offline(work)
    assert isinstance(reply, OfflineResult)
    return reply.value
