"""``api_key`` policy: authenticate with a key from ``bastion keys create`` (see ``bastion.apikeys``).

The key comes from one header (``X-API-Key`` by default); a second copy is refused, and a key in the query
string is refused unless the route sets ``allow_query`` (query strings end up in logs and Referer
headers). Malformed keys and bad checksums are rejected without a store lookup; the stored HMAC is
compared in constant time; expiry and revocation are enforced; the key's scopes are checked exactly.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from bastion.apikeys.store import ApiKeyStore
from bastion.chain.exchange import Exchange, Principal
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.errors import ConfigError
from bastion.http.problem import BAD_REQUEST, UNAUTHENTICATED, Problem
from bastion.policies.bearer import insufficient_scope, warn_if_report_only
from bastion.tokens.claims import require_scopes
from bastion.tokens.errors import InsufficientScope

CHALLENGE = (("www-authenticate", 'ApiKey realm="bastion"'),)


class ApiKeyConfig(PolicyConfig):
    header: str = "x-api-key"
    allow_query: bool = False
    """Accept the key in the query string (``query_param``). Off by default: URLs are logged everywhere."""
    query_param: str = "api_key"
    scopes: list[str] = Field(default_factory=list)
    scopes_mode: Literal["all", "any"] = "all"
    forward_key: bool = False
    """Send the key on to the upstream. Off: the upstream (and its logs) never see the credential."""


class ApiKeyPolicy(Policy):
    name = "api_key"
    config_model = ApiKeyConfig
    authenticates: ClassVar[bool] = True
    config: ApiKeyConfig

    def __init__(self, config: ApiKeyConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        warn_if_report_only(self.name, config)
        store = deps.services.get("api_keys")
        if not isinstance(store, ApiKeyStore):
            raise ConfigError("", "api_key needs oauth.api_keys.hmac_secret configured (the key store)")
        self.store = store
        self.header = config.header.lower()

    async def on_request(self, ex: Exchange) -> Problem | None:
        values = ex.request.headers.get_all(self.header)
        query = [v for k, v in ex.request.query if k == self.config.query_param] if ex.request.query_string else []
        if len(values) + len(query) > 1:
            return self._deny(ex, "several keys", BAD_REQUEST.problem("More than one API key was sent."))
        if query and not self.config.allow_query:
            return self._deny(ex, "key in query", UNAUTHENTICATED.problem(
                "API keys are not accepted in the query string.", headers=CHALLENGE))
        key = (values or query or [""])[0].strip()
        record = await self.store.verify(key) if 0 < len(key) <= 256 else None
        if record is None:
            return self._deny(ex, "invalid key" if key else "missing key",
                              UNAUTHENTICATED.problem("The API key is missing or invalid.", headers=CHALLENGE))
        try:
            require_scopes(record.scopes, self.config.scopes, self.config.scopes_mode)
        except InsufficientScope:
            return self._deny(ex, "insufficient scope", insufficient_scope(self.config.scopes))
        if not self.config.forward_key:
            ex.forward_headers.remove(self.header)
        ex.principal = Principal(subject=record.owner, method="api_key", client_id=record.key_id,
                                 scopes=record.scopes, claims={"sub": record.owner, "key_id": record.key_id})
        return None

    def _deny(self, ex: Exchange, reason: str, problem: Problem) -> Problem:
        ex.notes[self.name] = {"reason": reason}
        return problem
