"""Security events: what the audit log records about an exchange, and who the caller is.

``identity_of`` names the caller for logs, metrics and detectors: the OAuth client id, the API key
id, the token subject, or else the client IP. ``security_events`` turns the policy decisions on an
exchange into audit events; it copies no header, token, body or claim value, only ids and reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bastion.chain.exchange import Decision, Exchange

AUTHENTICATING = frozenset({"jwt", "jwt_auth", "introspection", "api_key", "mtls", "oauth"})
AUTHORIZING = frozenset({"authorize", "authz", "scopes"})
RATE_LIMITING = frozenset({"rate_limit", "ratelimit", "quota"})


def identity_of(ex: Exchange) -> str:
    p = ex.principal
    if p is None:
        return "ip:" + ex.request.client_ip
    if p.client_id:
        return "client:" + p.client_id
    if p.method == "api_key":
        return "key:" + p.subject
    return "sub:" + p.subject


def event_kind(policy: str) -> str:
    if policy in AUTHENTICATING:
        return "auth.failure"
    if policy in AUTHORIZING:
        return "authz.denied"
    if policy in RATE_LIMITING:
        return "ratelimit.rejected"
    return "request.blocked"


def is_auth_failure(decisions: Sequence[Decision], status: int) -> bool:
    if status == 401:
        return True
    return any(d.outcome == "deny" and d.policy in AUTHENTICATING for d in decisions)


def is_block(ex: Exchange) -> bool:
    return any(d.outcome == "deny" for d in ex.decisions)


def security_events(ex: Exchange, identity: str, status: int) -> list[tuple[str, dict[str, Any]]]:
    """Audit events for the gateway's denials (and report-mode would-be denials) on ``ex``."""
    out: list[tuple[str, dict[str, Any]]] = []
    for d in ex.decisions:
        if d.outcome not in ("deny", "report", "error") or d.policy == "blocklist":
            continue  # blocklist rejections are audited, throttled, by the BlockGuard
        kind = event_kind(d.policy) if d.outcome != "error" else "policy.error"
        data: dict[str, Any] = {
            "request_id": ex.request_id,
            "client_ip": ex.request.client_ip,
            "identity": identity,
            "route": ex.route.route_id,
            "method": ex.request.method,
            "policy": d.policy,
            "outcome": d.outcome,
            "reason": d.reason[:200],
            "status": status,
        }
        rules = sorted({f.rule_id for f in ex.findings})
        if rules:
            data["rule_ids"] = rules
        out.append((kind, data))
    return out
