"""Bastion as an explicit forward proxy for egress partners (listeners that say ``forward_proxy: true``).

A caller sets ``HTTP_PROXY``/``HTTPS_PROXY`` to the listener and authenticates with
``Proxy-Authorization`` or its client certificate (``proxy_auth``); then

- **absolute-form** ``GET http://api.partner.example/v2/charges HTTP/1.1``: the host (and port, when
  given) must be a partner's ``url`` host and the path must lie under its base path; the caller must
  be in that partner's ``callers``. The call is then exactly an egress-route call
  (``EgressService.call``): the partner credential injected, caller credentials dropped, verified TLS
  to the partner whatever scheme the caller used, the response validated, one ``egress.call`` audit
  record. Any other host gets a 403 and no connection is attempted.
- **CONNECT** ``host:port``: only to a ``host:port`` a partner allow-lists, and only when that partner
  says ``connect: passthrough`` and the caller may use it. The name is resolved and checked against the
  partner's address rules (private, loopback, link-local, metadata … refused unless allowed), the
  checked IP is dialled, ``200`` is answered and bytes are spliced (``tunnel``). One
  ``egress.tunnel`` audit record per tunnel: caller, partner, host, address, bytes each way, duration.

Every refusal is an RFC 9457 problem (400 malformed target, 407 no credential, 403 not allowed, 502/504
partner unreachable) and an ``egress.proxy`` audit record with the reason; details name no host.
Nothing else is served on a forward-proxy listener: origin-form requests get a 400.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from bastion.chain.exchange import Principal
from bastion.egress.audit import AuditSink, log_sink
from bastion.egress.config import TunnelLimits
from bastion.egress.errors import DestinationRefused, PartnerTimeout, PartnerUnreachable
from bastion.egress.gateway import safe_partner_target
from bastion.egress.proxy_auth import Caller, ProxyAuthenticator
from bastion.egress.proxy_target import (
    DEFAULT_PORTS,
    ProxyTarget,
    TargetError,
    parse_absolute_form,
    parse_authority_form,
)
from bastion.egress.service import EgressService, Partner
from bastion.egress.tunnel import Tunnel, dial
from bastion.http.headers import Headers
from bastion.http.paths import PathError, encode_path, normalize_path
from bastion.http.problem import (
    BAD_REQUEST,
    FORBIDDEN,
    PAYLOAD_TOO_LARGE,
    REQUEST_TIMEOUT,
    SERVICE_UNAVAILABLE,
    UPSTREAM_TIMEOUT,
    UPSTREAM_UNAVAILABLE,
    Problem,
)
from bastion.proxy.forwarding import request_id as pick_request_id
from bastion.server.body import BodyError
from bastion.server.http1 import IncomingRequest
from bastion.server.wire import encode_problem

log = logging.getLogger("bastion.egress.proxy")
ESTABLISHED = b"HTTP/1.1 200 Connection established\r\n\r\n"
NOT_ALLOWED = "this caller may not reach that destination through the proxy"


@dataclass(slots=True)
class ProxyRecord:
    """One audit record per tunnel, and per request the proxy refused before any partner call."""

    kind: str
    """``tunnel`` (CONNECT) or ``proxy`` (a refused request)."""
    request_id: str
    client_ip: str
    target: str = "-"
    """``host:port`` only: paths and queries may carry data that does not belong in an audit log."""
    caller: str = "-"
    partner: str = "-"
    status: int = 0
    outcome: str = "refused"
    reason: str = ""
    address: str = "-"
    bytes_up: int = 0
    bytes_down: int = 0
    duration: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "event": f"egress.{self.kind}", "request_id": self.request_id, "client_ip": self.client_ip,
            "target": self.target, "caller": self.caller, "partner": self.partner, "status": self.status,
            "outcome": self.outcome, "reason": self.reason,
        }
        if self.kind == "tunnel":
            record.update(address=self.address, bytes_up=self.bytes_up, bytes_down=self.bytes_down,
                          duration_ms=round(self.duration * 1000, 3))
        return record


class _Refused(Exception):
    def __init__(self, problem: Problem, reason: str) -> None:
        self.problem = problem
        self.reason = reason


@dataclass(frozen=True, slots=True)
class _Mount:
    port: int
    base_path: str
    partner: Partner


class PartnerIndex:
    """Which partner an absolute-form target addresses: its ``url`` host, a port that fits (none, the
    partner's or the scheme's default) and the longest base path that is a segment prefix of the path."""

    def __init__(self, partners: Mapping[str, Partner]) -> None:
        self.by_host: dict[str, list[_Mount]] = {}
        for name in sorted(partners):
            parts = urlsplit(partners[name].base_url)
            mount = _Mount(parts.port or 443, parts.path.rstrip("/"), partners[name])
            self.by_host.setdefault((parts.hostname or "").lower(), []).append(mount)
        for mounts in self.by_host.values():
            mounts.sort(key=lambda m: -len(m.base_path))

    def match(self, target: ProxyTarget, path: str) -> tuple[Partner, str] | None:
        """``(partner, path below its base)`` or ``None``; ``path`` is the normalised, decoded path."""
        for m in self.by_host.get(target.host, ()):
            if target.port is not None and target.port not in (m.port, DEFAULT_PORTS[target.scheme]):
                continue
            if m.base_path and path != m.base_path and not path.startswith(m.base_path + "/"):
                continue
            return m.partner, path[len(m.base_path):] or "/"
        return None


@dataclass
class ForwardProxy:
    service: EgressService
    authenticator: ProxyAuthenticator
    passthrough: frozenset[str]
    """Partners that allow CONNECT tunnels (``connect: passthrough``)."""
    tunnel: TunnelLimits = field(default_factory=TunnelLimits)
    max_body: int = 1 << 20
    request_id_header: str = "x-request-id"
    audit: AuditSink = log_sink
    guard: Any = None
    """The anomaly ``BlockGuard``: blocked client addresses are refused here too."""
    notes: list[str] = field(default_factory=list)
    """Security warnings for ``bastion config check`` and the start-up log."""

    def __post_init__(self) -> None:
        self.index = PartnerIndex(self.service.partners)

    async def handle(self, req: IncomingRequest) -> None:
        rid = pick_request_id(req.headers, self.request_id_header)
        connect = req.method == "CONNECT"
        rec = ProxyRecord("tunnel" if connect else "proxy", rid, req.conn.peer_ip)
        if connect:
            req.keep_alive = False  # after CONNECT the connection is a tunnel or nothing
        try:
            if connect:
                await self._connect(req, rec)
            else:
                await self._request(req, rec)
        except _Refused as stop:
            rec.status, rec.reason = stop.problem.status, stop.reason
            self._refuse(req, rid, stop.problem)
            await self._audit(rec)

    # ------------------------------------------------------------------ absolute-form
    async def _request(self, req: IncomingRequest, rec: ProxyRecord) -> None:
        if req.target.startswith("/") or req.target == "*":
            raise _Refused(BAD_REQUEST.problem("this listener is a forward proxy: send an absolute-form target "
                                               "(http://host/path) or CONNECT host:port"), "origin-form target")
        target = _parse(parse_absolute_form, req.target)
        rec.target = target.hostport
        principal = await self._authenticate(req, rec)
        try:
            path = normalize_path(target.path)
        except PathError:
            path = ""
        if not path or not safe_partner_target(unquote(target.path), target.query):
            raise _Refused(BAD_REQUEST.problem("unsafe path or query for egress"), "unsafe path or query")
        found = self.index.match(target, path)
        if found is None:
            raise _Refused(FORBIDDEN.problem(NOT_ALLOWED), "host not allow-listed")
        partner, rest = found
        rec.partner = partner.name
        if not partner.allows(principal.subject, principal.client_id):
            raise _Refused(FORBIDDEN.problem(NOT_ALLOWED), "caller not in the partner's callers")
        body = await self._body(req)
        headers = [(k, v) for k, v in req.headers if k != "x-request-id"]
        headers.append(("x-request-id", rec.request_id))
        result = await self.service.call(partner, subject=principal.subject, method=req.method,
                                         path=encode_path(rest), query=target.query,
                                         headers=Headers.from_lower(headers), body=body,
                                         request_id=rec.request_id)
        out = [(k.lower(), v) for k, v in result.headers]
        out += [("content-length", str(len(result.body))), ("x-request-id", rec.request_id),
                ("x-content-type-options", "nosniff")]
        req.conn.start_response(result.status, out, req.keep_alive, b"" if req.method == "HEAD" else result.body)

    async def _body(self, req: IncomingRequest) -> bytes:
        if req.body is None:
            return b""
        if req.expect_continue:
            req.conn.send_continue()
        try:
            return await req.body.read_all(self.max_body)
        except BodyError as exc:
            pt = {413: PAYLOAD_TOO_LARGE, 408: REQUEST_TIMEOUT}.get(exc.status, BAD_REQUEST)
            raise _Refused(pt.problem().with_close(), f"request body: {type(exc).__name__}") from None

    # ------------------------------------------------------------------ CONNECT
    async def _connect(self, req: IncomingRequest, rec: ProxyRecord) -> None:
        if req.body is not None or any(k in ("content-length", "transfer-encoding") for k, _ in req.headers):
            raise _Refused(BAD_REQUEST.problem("CONNECT carries no content"), "CONNECT with content")
        target = _parse(parse_authority_form, req.target)
        rec.target = target.hostport
        assert target.port is not None  # authority-form always has one
        principal = await self._authenticate(req, rec)
        partner = self._tunnel_partner(target.hostport, principal, rec)
        rec.partner = partner.name
        try:
            rec.address = await partner.client.backend.checked_address(target.host, target.port)
            reader, writer = await dial(rec.address, target.port, partner.client.connect_timeout)
        except DestinationRefused as exc:
            raise _Refused(FORBIDDEN.problem(NOT_ALLOWED), str(exc)) from None
        except PartnerTimeout as exc:
            raise _Refused(UPSTREAM_TIMEOUT.problem(f"partner {partner.name!r} did not answer in time"),
                           str(exc)) from None
        except PartnerUnreachable as exc:
            raise _Refused(UPSTREAM_UNAVAILABLE.problem(f"partner {partner.name!r} is unavailable"),
                           str(exc)) from None
        req.conn.write(ESTABLISHED)
        rec.status, rec.outcome = 200, "ok"
        tunnel = Tunnel(req.conn, reader, writer, self.tunnel.idle_timeout, self.tunnel.max_duration)
        try:
            await tunnel.run()
        finally:  # recorded however it ends, a shutdown's cancellation included
            stats = tunnel.stats
            rec.reason, rec.bytes_up, rec.bytes_down, rec.duration = \
                stats.ended_by, stats.bytes_up, stats.bytes_down, stats.duration
            await self._audit(rec)

    def _tunnel_partner(self, hostport: str, principal: Principal, rec: ProxyRecord) -> Partner:
        """The first partner (by name) that allow-lists ``hostport``, allows tunnels and this caller."""
        listed = [p for _, p in sorted(self.service.partners.items()) if hostport in p.client.backend.allowed]
        tunnelled = [p for p in listed if p.name in self.passthrough]
        allowed = [p for p in tunnelled if p.allows(principal.subject, principal.client_id)]
        if allowed:
            return allowed[0]
        reason = ("caller not in the partner's callers" if tunnelled else
                  "partner does not allow CONNECT (connect: refuse)" if listed else "host not allow-listed")
        rec.partner = (tunnelled or listed)[0].name if listed else "-"
        raise _Refused(FORBIDDEN.problem(NOT_ALLOWED), reason)

    # ------------------------------------------------------------------ shared
    async def _authenticate(self, req: IncomingRequest, rec: ProxyRecord) -> Principal:
        conn = req.conn
        if self.guard is not None:
            blocked = await self.guard.check(conn.peer_ip, None, "forward-proxy")
            if blocked is not None:
                raise _Refused(blocked, "client address blocked")
        found = await self.authenticator.authenticate(
            req.headers, Caller(conn.peer_ip, conn.listener.scheme, conn.peer_cert), rec.request_id)
        if isinstance(found, Problem):
            raise _Refused(found, "authentication failed")
        rec.caller = found.subject
        return found

    def _refuse(self, req: IncomingRequest, rid: str, problem: Problem) -> None:
        keep = req.keep_alive and not problem.close
        req.keep_alive = keep
        req.conn.write(encode_problem(problem, rid, close=not keep, head_only=req.method == "HEAD"))

    async def _audit(self, rec: ProxyRecord) -> None:
        try:
            await self.audit(rec.to_dict())
        except Exception:
            log.exception("forward proxy audit sink failed")


def _parse(parser: Any, target: str) -> ProxyTarget:
    try:
        result: ProxyTarget = parser(target)
    except TargetError as exc:
        raise _Refused(BAD_REQUEST.problem(f"invalid request target: {exc}"), "malformed target") from None
    return result


class ProxyListener:
    """The handler of forward-proxy listeners. Each request goes to the forward proxy of the configuration
    serving now (a reload swaps it) and counts as in flight, so a drain waits for open tunnels (up to
    ``limits.drain_timeout``)."""

    def __init__(self, gateway: Any) -> None:
        self.gateway = gateway

    async def __call__(self, req: IncomingRequest) -> None:
        gateway = self.gateway
        proxy = gateway.runtime.services.get("forward_proxy")
        if not isinstance(proxy, ForwardProxy):  # the running configuration dropped egress.forward_proxy
            req.keep_alive = False
            req.conn.write(encode_problem(SERVICE_UNAVAILABLE.problem("the forward proxy is not configured"),
                                          None, close=True))
            return
        gateway.inflight += 1
        try:
            await proxy.handle(req)
        finally:
            gateway.inflight -= 1


def passthrough_notes(partners: Sequence[str]) -> list[str]:
    return [f"egress.partners.{name}.connect is passthrough: tunnelled traffic is neither inspected nor "
            "validated, and carries the caller's own credentials" for name in partners]
