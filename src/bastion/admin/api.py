"""The admin API as a ``webapp.App``: metrics, alerts, blocks, live stats and audit-chain status.

    GET  /metrics                 Prometheus exposition
    GET  /admin/alerts            recent anomaly alerts, newest first (?limit=N)
    GET  /admin/blocks            active blocks
    POST /admin/blocks/lift       {"key": "ip:203.0.113.9"} lifts a block (audited)
    GET  /admin/stats             time series and top identities/routes for the dashboard
    GET  /admin/audit             audit writer status and the last verification
    POST /admin/audit/verify      verify the chain now
    /login, /logout, /dashboard   the dashboard (``bastion.dashboard.pages``)

Every route needs the admin token (``Authorization: Bearer``) or a dashboard session; state-changing
requests with a session also need its CSRF token. Responses carry a strict CSP and ``no-store``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST

from bastion.admin.auth import AdminAuth
from bastion.anomaly.blocklist import Blocklist
from bastion.anomaly.engine import AnomalyEngine
from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.http.problem import FORBIDDEN, UNAUTHENTICATED, Problem
from bastion.observability.audit.verify import verify_records
from bastion.observability.audit.writer import AuditLog
from bastion.observability.metrics import GatewayMetrics
from bastion.observability.stats import TrafficStats
from bastion.observability.trail import AuditTrail
from bastion.webapp import AppRequest, AppResponse, Router, json_response
from bastion.webapp.app import Handler, problem_response

SECURITY_HEADERS = [
    ("content-security-policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                                "form-action 'self'; base-uri 'none'"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-store"),
]


@dataclass
class AdminContext:
    metrics: GatewayMetrics
    stats: TrafficStats
    trail: AuditTrail
    anomaly: AnomalyEngine | None = None
    blocklist: Blocklist | None = None
    audit_log: AuditLog | None = None
    pinned_key: str | None = None
    clock: Clock = SYSTEM_CLOCK
    last_verify: dict[str, Any] = field(default_factory=dict)
    flush: Callable[[], None] | None = None
    """Processes the observer's pending batch, so every read sees the requests answered so far."""


class AdminApp:
    def __init__(self, ctx: AdminContext, auth: AdminAuth) -> None:
        from bastion.dashboard.pages import register_pages

        self.ctx, self.auth = ctx, auth
        self.router = Router()
        r = self.router
        r.add("GET", "/metrics", self._guard(self.metrics))
        r.add("GET", "/admin/alerts", self._guard(self.alerts))
        r.add("GET", "/admin/blocks", self._guard(self.blocks))
        r.add("POST", "/admin/blocks/lift", self._guard(self.lift))
        r.add("GET", "/admin/stats", self._guard(self.stats))
        r.add("GET", "/admin/audit", self._guard(self.audit))
        r.add("POST", "/admin/audit/verify", self._guard(self.verify))
        register_pages(r, self)

    async def handle(self, request: AppRequest) -> AppResponse:
        resp = await self.router.handle(request)
        resp.headers.extend(h for h in SECURITY_HEADERS if h[0] not in {k for k, _ in resp.headers})
        return resp

    def _guard(self, handler: Handler) -> Handler:
        async def guarded(request: AppRequest) -> AppResponse:
            actor, session = self.auth.authenticate(request)
            if actor is None:
                if session is not None:
                    return problem_response(FORBIDDEN.problem("missing or wrong CSRF token"))
                return problem_response(Problem(UNAUTHENTICATED.uri, UNAUTHENTICATED.title, 401,
                                                headers=(("www-authenticate", 'Bearer realm="bastion-admin"'),)))
            request.params["actor"] = actor
            if self.ctx.flush is not None:
                self.ctx.flush()
            return await handler(request)

        return guarded

    async def metrics(self, request: AppRequest) -> AppResponse:
        return AppResponse(200, [("content-type", CONTENT_TYPE_LATEST)], self.ctx.metrics.exposition())

    async def alerts(self, request: AppRequest) -> AppResponse:
        limit = int(request.query.get("limit", "100")) if request.query.get("limit", "").isdigit() else 100
        recent = list(self.ctx.anomaly.recent) if self.ctx.anomaly else []
        return json_response({"alerts": [a.to_dict() for a in reversed(recent[-limit:])]})

    async def blocks(self, request: AppRequest) -> AppResponse:
        items = await self.ctx.blocklist.list() if self.ctx.blocklist else []
        return json_response({"blocks": [b.to_dict() for b in items]})

    async def lift(self, request: AppRequest) -> AppResponse:
        try:
            key = request.json().get("key")
        except Exception:
            key = None
        if not isinstance(key, str) or not key or self.ctx.blocklist is None:
            return json_response({"error": "expected {\"key\": \"<blocked identity>\"}"}, 400)
        lifted = await self.ctx.blocklist.lift(key)
        if lifted:
            self.ctx.trail.block_lifted(key, request.params["actor"])
        return json_response({"key": key, "lifted": lifted}, 200 if lifted else 404)

    async def stats(self, request: AppRequest) -> AppResponse:
        now = self.ctx.clock.now()
        return json_response({"now": now, "series": self.ctx.stats.series(now), **self.ctx.stats.top(10)})

    def audit_status(self) -> dict[str, Any]:
        log = self.ctx.audit_log
        if log is None:
            return {"enabled": False}
        cp = log.last_checkpoint
        return {
            "enabled": True, "sink": log.sink.description, "chain_id": log.chain_id, "written": log.written,
            "queue_depth": log.depth, "dropped": log.dropped, "write_errors": log.write_errors,
            "last_checkpoint": None if cp is None else {"seq": cp.seq, "ts": cp.ts},
            "key_id": log.signer.key_id, "last_verify": self.ctx.last_verify,
        }

    async def audit(self, request: AppRequest) -> AppResponse:
        return json_response(self.audit_status())

    async def verify(self, request: AppRequest) -> AppResponse:
        log = self.ctx.audit_log
        if log is None:
            return json_response({"error": "audit log disabled"}, 404)
        records = await log.sink.read_all()
        result = await asyncio.to_thread(verify_records, records, self.ctx.pinned_key)
        self.ctx.last_verify = {"ok": result.ok, "records": result.records, "at": self.ctx.clock.now(),
                                "problem": str(result.tamper) if result.tamper else None}
        self.ctx.trail.admin_action(request.params["actor"], "audit.verify", ok=result.ok)
        return json_response(self.ctx.last_verify)
