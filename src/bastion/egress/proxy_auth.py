"""Who is calling the forward proxy: ``Proxy-Authorization`` or the listener's client certificate,
judged by the identity policies routes use (``jwt``, ``introspection``, ``api_key``, ``mtls``).

``Proxy-Authorization`` carries ``Bearer <token>`` or, for clients that can only put credentials in
the proxy URL (``HTTPS_PROXY=http://svc:<token>@bastion:3128``), ``Basic`` with the token as the
password (the user name is ignored). The token reaches each configured policy where that policy looks
for it (``Authorization: Bearer`` for jwt and introspection, ``X-API-Key`` for api_key); ``mtls`` reads
the certificate the listener verified. Policies are tried in order and the first that establishes a
caller wins. None does:

- no credential, or none accepted → 407 with ``Proxy-Authenticate`` (RFC 9110 §11.7.1);
- a credential a policy accepted but refused to let through (insufficient scope, a certificate
  identity not in ``allowed``) → 403;
- a policy that could not decide (the issuer's keys unreachable) → its 5xx;
- two ``Proxy-Authorization`` fields → 400.

Sans-I/O: the policies run on a small ``Exchange`` built for the purpose; their ports do any I/O.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bastion.chain.exchange import Exchange, Principal, RouteMatch
from bastion.chain.policy import Mode, Policy, PolicyDeps
from bastion.chain.registry import build_policy
from bastion.errors import ConfigError
from bastion.http.headers import Headers, MutableHeaders
from bastion.http.messages import RequestHead
from bastion.http.problem import BAD_REQUEST, Problem, ProblemType

log = logging.getLogger("bastion.egress.proxy")

PROXY_AUTH_REQUIRED = ProblemType("proxy-authentication-required", "Proxy Authentication Required", 407)
CHALLENGE = (("proxy-authenticate", 'Bearer realm="bastion"'), ("proxy-authenticate", 'Basic realm="bastion"'))
IDENTITY_POLICIES = frozenset({"jwt", "introspection", "api_key", "mtls"})
FIXED_KEYS = frozenset({"header", "scheme", "allow_query", "query_param"})
"""Where a credential comes from is fixed on the proxy (``Proxy-Authorization``); these keys would lie."""
MAX_TOKEN = 8192
ROUTE = RouteMatch("forward-proxy", {}, None, template="forward-proxy")


@dataclass(frozen=True, slots=True)
class Caller:
    """The peer as the listener saw it."""

    ip: str
    scheme: str
    peer_cert: bytes | None = None


def proxy_token(value: str) -> str | None:
    """The token of one ``Proxy-Authorization`` value (``Bearer`` or ``Basic``), or ``None`` if malformed."""
    scheme, _, credentials = value.strip().partition(" ")
    credentials = credentials.strip()
    scheme = scheme.lower()
    if scheme == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        credentials = decoded.partition(":")[2]
    elif scheme != "bearer":
        return None
    if not credentials or len(credentials) > MAX_TOKEN or not credentials.isprintable() or " " in credentials:
        return None
    return credentials


def required() -> Problem:
    return PROXY_AUTH_REQUIRED.problem("Proxy authentication is required.", headers=CHALLENGE)


class ProxyAuthenticator:
    def __init__(self, policies: Sequence[Policy], clock: Any) -> None:
        self.policies = tuple(policies)
        self.clock = clock

    async def authenticate(self, headers: Sequence[tuple[str, str]], caller: Caller,
                           request_id: str) -> Principal | Problem:
        values = [v for k, v in headers if k == "proxy-authorization"]
        if len(values) > 1:
            return BAD_REQUEST.problem("More than one proxy credential was sent.")
        token = proxy_token(values[0]) if values else None
        if values and token is None:
            return required()
        synthetic = [("authorization", f"Bearer {token}"), ("x-api-key", token)] if token else []
        refused: Problem | None = None
        for policy in self.policies:
            ex = self._exchange(synthetic, caller, request_id)
            try:
                problem = await policy.on_request(ex)
            except Exception:  # fail closed: this policy accepts no one
                log.exception("forward proxy: %s failed", policy.name)
                continue
            if problem is None and ex.principal is not None:
                return ex.principal
            if problem is not None and (refused is None or _rank(problem) > _rank(refused)):
                refused = problem
        if refused is not None and refused.status in (403, 500, 502, 503, 504):
            return refused
        return required()

    def _exchange(self, headers: list[tuple[str, str]], caller: Caller, request_id: str) -> Exchange:
        head = RequestHead(method="CONNECT", path="/", raw_path="/", query_string="", headers=Headers(headers),
                           scheme=caller.scheme, client_ip=caller.ip, tls_peer_cert=caller.peer_cert)
        return Exchange(request=head, route=ROUTE, request_id=request_id, received_at=self.clock.now(),
                        forward_headers=MutableHeaders())


def _rank(problem: Problem) -> int:
    """A refusal that names the caller (403) beats "could not decide" (5xx) beats "who are you" (401/400)."""
    return 2 if problem.status == 403 else 1 if problem.status >= 500 else 0


def build_authenticator(entries: Sequence[Any], deps: PolicyDeps, path: str) -> ProxyAuthenticator:
    """Build the identity policies of ``egress.forward_proxy.authenticate``; ``ConfigError`` with key paths."""
    policies: list[Policy] = []
    for i, entry in enumerate(entries):
        where = f"{path}[{i}]"
        if not isinstance(entry, dict) or len(entry) != 1:
            raise ConfigError(where, "expected one identity policy, e.g. {api_key: {}}")
        (name, raw), = entry.items()
        if name not in IDENTITY_POLICIES:
            known = ", ".join(sorted(IDENTITY_POLICIES))
            raise ConfigError(f"{where}.{name}", f"not an identity policy; use one of {known}")
        fixed = FIXED_KEYS & (set(raw) if isinstance(raw, dict) else set())
        if fixed:
            raise ConfigError(f"{where}.{name}.{sorted(fixed)[0]}",
                              "not used by the forward proxy: credentials come from Proxy-Authorization")
        if isinstance(raw, dict) and raw.get("mode") == Mode.REPORT.value:
            raise ConfigError(f"{where}.{name}.mode", "report mode would let every caller through the proxy")
        policies.append(build_policy(name, raw, deps, where))
    return ProxyAuthenticator(policies, deps.clock)
