"""Credential injection: what bastion adds to each partner request, and how it recovers from a 401.

Every injector says which header names it owns (callers can never set them: the service forwards
only an allow-list of caller headers anyway) and returns an ``Injected`` carrying the headers and the
credential *version* used — the audit record stores the version, never the credential.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.egress import signing
from bastion.egress.config import ApiKeyCredential, HeadersCredential, HmacCredential
from bastion.egress.credential_source import CredentialSource
from bastion.egress.oauth import CachedToken, TokenSource


@dataclass(slots=True)
class Injected:
    headers: list[tuple[str, str]]
    version: str
    token: CachedToken | None = field(default=None, repr=False)
    lines: str | None = field(default=None, repr=False)
    """``headers`` as checked request-head lines (``PartnerClient.credential_lines``), made on first use: a cached
    token's ``Injected`` is reused for every call until the token changes."""

    def __repr__(self) -> str:
        return f"Injected(version={self.version!r}, headers={[k for k, _ in self.headers]!r})"


class Injector(Protocol):
    kind: str

    def ready(self) -> Injected | None:
        """The credential for the next call when it is at hand without I/O (a cached token), else ``None``:
        then ``inject``."""
        ...

    async def inject(self, method: str, target: str, body: bytes) -> Injected: ...

    async def after_unauthorized(self, used: Injected, method: str, target: str, body: bytes) -> Injected | None:
        """Fresh credentials for one retry after a 401, or ``None`` when a retry cannot help."""
        ...


class NoInjector:
    kind = "none"
    _NONE = Injected([], "-")

    def ready(self) -> Injected | None:
        return self._NONE

    async def inject(self, method: str, target: str, body: bytes) -> Injected:
        return Injected([], "-")

    async def after_unauthorized(self, used: Injected, method: str, target: str, body: bytes) -> Injected | None:
        return None


class OAuthInjector:
    kind = "oauth2"

    def __init__(self, tokens: TokenSource) -> None:
        self.tokens = tokens
        self._last = Injected([], "-")
        """The headers made for the last token used: the same for every call until the token changes."""

    def ready(self) -> Injected | None:
        last, tokens = self._last, self.tokens
        tok = last.token
        if tok is not None and tok is tokens.current and tokens.clock.monotonic() < tok.refresh_at:
            return last  # the token of the last call, still fresh (``TokenSource.fresh``, inlined: every call)
        tok = tokens.fresh()
        if tok is None:
            return None
        return self._headers(tok)

    async def inject(self, method: str, target: str, body: bytes) -> Injected:
        return self._headers(await self.tokens.token())

    async def after_unauthorized(self, used: Injected, method: str, target: str, body: bytes) -> Injected | None:
        if used.token is None:
            return None
        return self._headers(await self.tokens.after_unauthorized(used.token))

    def _headers(self, tok: CachedToken) -> Injected:
        self._last = Injected([("authorization", f"Bearer {tok.access_token.reveal()}")], tok.secret_version, tok)
        return self._last


class StaticInjector:
    """API keys and fixed headers from the secret store (``api_key`` and ``headers`` credentials)."""

    def __init__(self, cred: ApiKeyCredential | HeadersCredential, source: CredentialSource) -> None:
        self.kind: str = cred.kind
        self.source = source
        if isinstance(cred, ApiKeyCredential):
            self.refs = {cred.header.lower(): cred.value}
            self.prefix = {cred.header.lower(): cred.prefix}
        else:
            self.refs = dict(cred.headers)
            self.prefix = {}

    def ready(self) -> Injected | None:
        return None

    async def inject(self, method: str, target: str, body: bytes) -> Injected:
        headers: list[tuple[str, str]] = []
        versions: list[str] = []
        for name, ref in self.refs.items():
            got = await self.source.current(ref)
            headers.append((name, self.prefix.get(name, "") + got.value.reveal()))
            versions.append(got.version)
        return Injected(headers, ",".join(versions))

    async def after_unauthorized(self, used: Injected, method: str, target: str, body: bytes) -> Injected | None:
        for ref in self.refs.values():
            self.source.refresh(ref)
        fresh = await self.inject(method, target, body)
        return fresh if fresh.version != used.version else None


class HmacInjector:
    kind = "hmac"

    def __init__(self, cred: HmacCredential, source: CredentialSource, clock: Clock = SYSTEM_CLOCK) -> None:
        self.cred = cred
        self.source = source
        self.clock = clock

    def ready(self) -> Injected | None:
        return None  # a signature per request

    async def inject(self, method: str, target: str, body: bytes) -> Injected:
        got = await self.source.current(self.cred.secret)
        key = got.value.reveal().encode()
        return Injected(signing.sign(key, self.cred.key_id, int(self.clock.now()), method, target, body), got.version)

    async def after_unauthorized(self, used: Injected, method: str, target: str, body: bytes) -> Injected | None:
        self.source.refresh(self.cred.secret)
        fresh = await self.inject(method, target, body)
        return fresh if fresh.version != used.version else None
