"""OAuth 2.0 client credentials (RFC 6749 §4.4) with a single-flight token cache.

One ``TokenSource`` per partner. ``token()`` returns the cached access token until ``refresh_before``
seconds before it expires; then exactly one fetch runs, however many callers are waiting (they all
await the same task, shielded so one caller's cancellation cannot abort it for the others).
``after_unauthorized(stale)`` is the 401 path: if another caller already replaced the stale token it
returns the new one, otherwise it forces one shared refresh.

The client secret is read from the ``CredentialSource`` newest version first; when the token endpoint
answers ``invalid_client`` the previous version (still inside its rotation overlap) is tried, so a
rotation done before the partner accepts the new secret drops no request.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import orjson

from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.egress.client import PartnerClient
from bastion.egress.config import OAuth2Credential
from bastion.egress.credential_source import CredentialSource, Versioned
from bastion.egress.errors import CredentialUnavailable
from bastion.secrets.references import Secret

MAX_TOKEN_RESPONSE = 64 * 1024
MAX_LIFETIME = 86400.0


@dataclass(frozen=True, slots=True, eq=False)
class CachedToken:
    access_token: Secret
    refresh_at: float
    """Monotonic time after which the token is refreshed before use."""
    secret_version: str
    """Version of the client secret that obtained it (for the audit record)."""


class TokenSource:
    def __init__(self, partner: str, cfg: OAuth2Credential, client: PartnerClient, source: CredentialSource,
                 clock: Clock = SYSTEM_CLOCK) -> None:
        self.partner = partner
        self.cfg = cfg
        self.client = client
        self.source = source
        self.clock = clock
        self.fetches = 0
        self.current: CachedToken | None = None
        """The cached token (read by ``OAuthInjector.ready`` on every call; set only here)."""
        self._inflight: asyncio.Task[CachedToken] | None = None

    def fresh(self) -> CachedToken | None:
        """The cached token while it is not due for refresh (no I/O), else ``None``."""
        tok = self.current
        return tok if tok is not None and self.clock.monotonic() < tok.refresh_at else None

    async def token(self) -> CachedToken:
        return self.fresh() or await self._shared_refresh()

    async def after_unauthorized(self, stale: CachedToken) -> CachedToken:
        current = self.current
        if current is not None and current is not stale and self.clock.monotonic() < current.refresh_at:
            return current
        if self.current is stale:
            self.current = None
        return await self._shared_refresh()

    async def _shared_refresh(self) -> CachedToken:
        if self._inflight is None:
            self._inflight = asyncio.ensure_future(self._fetch())
            self._inflight.add_done_callback(self._clear)
        return await asyncio.shield(self._inflight)

    def _clear(self, task: asyncio.Task[CachedToken]) -> None:
        self._inflight = None
        if not task.cancelled() and task.exception() is None:
            self.current = task.result()

    async def _fetch(self) -> CachedToken:
        ref = self.cfg.client_secret
        tried: set[str] = set()
        last_error = "no client secret"
        for reload in (False, True):
            if reload:
                self.source.refresh(ref)  # a rotation may have happened since the secret was cached
            for secret in await self.source.versions(ref):
                if secret.version in tried:
                    continue
                tried.add(secret.version)
                self.fetches += 1
                status, doc = await self._request(secret)
                if 200 <= status < 300:
                    return self._parse(doc, secret)
                error = str(doc.get("error", "")) if isinstance(doc, dict) else ""
                last_error = f"token endpoint answered {status} {error}".strip()
                if error != "invalid_client" and status != 401:
                    raise CredentialUnavailable(f"partner {self.partner}: {last_error}")
        raise CredentialUnavailable(f"partner {self.partner}: {last_error}")

    async def _request(self, secret: Versioned) -> tuple[int, object]:
        form = {"grant_type": "client_credentials"}
        if self.cfg.scope:
            form["scope"] = self.cfg.scope
        if self.cfg.audience:
            form["audience"] = self.cfg.audience
        headers = [("content-type", "application/x-www-form-urlencoded"), ("accept", "application/json")]
        if self.cfg.auth_method == "client_secret_basic":
            pair = f"{quote(self.cfg.client_id, safe='')}:{quote(secret.value.reveal(), safe='')}"
            headers.append(("authorization", "Basic " + base64.b64encode(pair.encode()).decode()))
        else:
            form["client_id"] = self.cfg.client_id
            form["client_secret"] = secret.value.reveal()
        resp = await self.client.send("POST", self.cfg.token_url, headers, urlencode(form).encode(),
                                      MAX_TOKEN_RESPONSE, retry_safe=True)  # a token request changes nothing
        try:
            return resp.status, orjson.loads(resp.body)
        except orjson.JSONDecodeError:
            return resp.status, {}

    def _parse(self, doc: object, secret: Versioned) -> CachedToken:
        if not isinstance(doc, dict):
            raise CredentialUnavailable(f"partner {self.partner}: token response is not a JSON object")
        token, kind, expires_in = doc.get("access_token"), doc.get("token_type", ""), doc.get("expires_in", 300)
        if not isinstance(token, str) or not token or str(kind).lower() != "bearer":
            raise CredentialUnavailable(f"partner {self.partner}: token response has no bearer access_token")
        if not isinstance(expires_in, int | float) or isinstance(expires_in, bool):
            expires_in = 300
        lifetime = min(max(float(expires_in), 1.0), MAX_LIFETIME)
        margin = min(self.cfg.refresh_before, lifetime / 2)
        return CachedToken(Secret(token), self.clock.monotonic() + lifetime - margin, secret.version)
