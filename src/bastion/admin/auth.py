"""Admin authentication: a bearer token (API clients), a session cookie (the dashboard), or a client
certificate verified by the admin listener (read access and a dashboard session).

The dashboard exchanges the admin token for a session through a login form. The session cookie is
``HttpOnly; SameSite=Strict`` (and ``Secure`` over HTTPS); a state-changing request authenticated
by the cookie must also carry the session's CSRF token in ``X-CSRF-Token`` and, if the browser sent
``Origin``, come from the admin origin. Tokens compare in constant time; failed logins are
throttled per client address. Nothing here logs or echoes a token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from bastion.anomaly.windows import BoundedMap
from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.webapp import AppRequest

COOKIE = "bastion_admin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(slots=True)
class Session:
    id: str
    csrf: str
    expires: float
    actor: str


def parse_cookies(header: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name not in out:
            out[name] = value
    return out


class AdminAuth:
    def __init__(self, token: str, *, clock: Clock = SYSTEM_CLOCK, session_ttl: float = 8 * 3600,
                 max_failures: int = 10, failure_window: float = 300.0, client_certs: bool = False) -> None:
        if len(token) < 16:
            raise ValueError("the admin token must be at least 16 characters")
        self._digest = hashlib.sha256(token.encode()).digest()
        self.clock, self.session_ttl = clock, session_ttl
        self.max_failures, self.failure_window = max_failures, failure_window
        self._sessions: dict[str, Session] = {}
        self._failures: BoundedMap[list[float]] = BoundedMap(10_000, list)
        self.client_certs = client_certs
        """Trust a client certificate the admin listener verified (``admin.tls.client_ca``): it grants read
        access and a dashboard session; changes still need the session's CSRF token or the admin token."""

    def __repr__(self) -> str:
        return "AdminAuth(token='**********')"

    def token_ok(self, candidate: str) -> bool:
        return hmac.compare_digest(hashlib.sha256(candidate.encode()).digest(), self._digest)

    def throttled(self, client_ip: str) -> bool:
        now = self.clock.now()
        fails = self._failures.get(client_ip)
        fails[:] = [t for t in fails if t > now - self.failure_window]
        return len(fails) >= self.max_failures

    def login(self, candidate: str, client_ip: str) -> Session | None:
        if self.throttled(client_ip) or not self.token_ok(candidate):
            self._failures.get(client_ip).append(self.clock.now())
            return None
        return self._new_session(f"session@{client_ip}")

    def cert_actor(self, request: AppRequest) -> str | None:
        if not self.client_certs or not request.tls_peer_cert:
            return None
        return "mtls:" + hashlib.sha256(request.tls_peer_cert).hexdigest()[:16]

    def login_with_cert(self, request: AppRequest) -> Session | None:
        actor = self.cert_actor(request)
        return self._new_session(actor) if actor else None

    def _new_session(self, actor: str) -> Session:
        now = self.clock.now()
        for sid in [s for s, v in self._sessions.items() if v.expires <= now]:
            del self._sessions[sid]
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), now + self.session_ttl, actor)
        self._sessions[session.id] = session
        return session

    def logout(self, session: Session) -> None:
        self._sessions.pop(session.id, None)

    def session_of(self, request: AppRequest) -> Session | None:
        sid = parse_cookies(request.headers.get("cookie")).get(COOKIE)
        session = self._sessions.get(sid) if sid else None
        if session is None or session.expires <= self.clock.now():
            return None
        return session

    def authenticate(self, request: AppRequest) -> tuple[str | None, Session | None]:
        """``(actor, session)``; actor None when unauthenticated or when a cookie request fails CSRF."""
        auth = request.headers.get("authorization") or ""
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and value:
            return ("token" if self.token_ok(value.strip()) else None), None
        session = self.session_of(request)
        if session is None:
            cert = self.cert_actor(request) if request.method in SAFE_METHODS else None
            return cert, None
        if request.method not in SAFE_METHODS and not self.csrf_ok(request, session):
            return None, session
        return session.actor, session

    def csrf_ok(self, request: AppRequest, session: Session) -> bool:
        origin = request.headers.get("origin")
        host = request.headers.get("host") or ""
        if origin is not None and origin.split("://", 1)[-1] != host:
            return False
        return hmac.compare_digest((request.headers.get("x-csrf-token") or "").encode(), session.csrf.encode())

    def cookie(self, session: Session, secure: bool) -> str:
        flags = "; Secure" if secure else ""
        return f"{COOKIE}={session.id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={int(self.session_ttl)}{flags}"

    @staticmethod
    def clear_cookie() -> str:
        return f"{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
