"""The ``issuers:`` configuration section: trusted token issuers, by name."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

from bastion.secrets.references import is_reference
from bastion.tokens.verify import SUPPORTED_ALGORITHMS

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class JwksSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
    min_ttl: Annotated[float, Field(ge=0)] = 60.0
    max_ttl: Annotated[float, Field(gt=0)] = 86400.0
    cooldown: Annotated[float, Field(ge=1)] = 30.0
    """An unknown ``kid`` refreshes the JWKS at most once per this many seconds."""
    max_stale: Annotated[float, Field(ge=0, le=7 * 86400)] = 3600.0
    """How long the last good key set keeps serving while the JWKS cannot be fetched."""


class IntrospectionSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
    endpoint: str
    """RFC 7662 introspection endpoint (https, or http on loopback)."""
    client_id: str
    client_secret: str
    """Reference (``${env:…}``/``${file:…}``) to the gateway's client secret at the introspection endpoint."""
    max_cache_seconds: Annotated[float, Field(ge=0, le=3600)] = 60.0
    """Results are cached no longer than this nor past the token's ``exp``."""

    @field_validator("client_secret")
    @classmethod
    def _reference(cls, value: str) -> str:
        if not is_reference(value):
            raise ValueError("must be a reference such as ${env:NAME}, never the secret itself")
        return value


class IssuerConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
    issuer: str = ""
    """Exact ``iss`` value. Empty only with ``builtin: true`` (then the authorization server's issuer)."""
    jwks_uri: str | None = None
    discovery: bool = False
    """Find ``jwks_uri`` in ``<issuer>/.well-known/openid-configuration`` (RFC 8414 / OIDC discovery)."""
    builtin: bool = False
    """Trust the built-in authorization server (``oauth:`` section); its keys are read in-process."""
    audiences: Annotated[list[str], Field(min_length=1)]
    algorithms: Annotated[list[str], Field(min_length=1)] = ["ES256"]
    """Explicit allow-list (RFC 8725 §3.1). ``none`` and HMAC algorithms are never accepted."""
    leeway: Annotated[float, Field(ge=0, le=300)] = 30.0
    require_typ: bool = False
    """Require ``typ: at+jwt`` (RFC 9068), which stops ID tokens being replayed as access tokens."""
    max_token_bytes: Annotated[int, Field(ge=512, le=65536)] = 8192
    max_lifetime: Annotated[float, Field(gt=0)] = 86400.0
    jwks: JwksSettings = JwksSettings()
    introspection: IntrospectionSettings | None = None
    """For opaque tokens (the ``introspection`` policy)."""

    @field_validator("algorithms")
    @classmethod
    def _allowed(cls, value: list[str]) -> list[str]:
        bad = [a for a in value if a not in SUPPORTED_ALGORITHMS]
        if bad:
            raise ValueError(f"unsupported or unsafe algorithms {bad}; use {sorted(SUPPORTED_ALGORITHMS)}")
        return value

    @model_validator(mode="after")
    def _one_key_source(self) -> IssuerConfig:
        sources = sum([self.jwks_uri is not None, self.discovery, self.builtin])
        if sources > 1 or (sources == 0 and self.introspection is None):
            raise ValueError("set exactly one of jwks_uri, discovery: true, builtin: true (or introspection)")
        if not self.builtin and not self.issuer:
            raise ValueError("issuer is required")
        endpoint = self.introspection.endpoint if self.introspection else None
        for url in (self.jwks_uri, self.issuer if self.discovery else None, endpoint):
            if url is not None:
                parts = urlsplit(url)
                if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
                    raise ValueError("issuer URLs must be https:// (plain http only on loopback)")
        return self


class IssuersSection(RootModel[dict[str, IssuerConfig]]):
    model_config = ConfigDict(frozen=True)
