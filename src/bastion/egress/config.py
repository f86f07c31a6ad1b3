"""The ``egress:`` configuration section: partners, who may call them and how bastion authenticates.

```yaml
egress:
  partners:
    payments:
      url: https://api.payments.example/v2        # caller path is appended; https only
      callers: [orders-service]                   # principal subjects or client ids (deny by default)
      allow_hosts: [auth.payments.example:443]    # more hosts this partner may reach (token endpoint)
      allow_networks: []                          # private CIDRs explicitly allowed for this partner
      credential:
        kind: oauth2                              # or api_key | headers | hmac | none
        token_url: https://auth.payments.example/oauth/token
        client_id: bastion
        client_secret: ${secret:payments.client_secret}
        scope: payments:write
      tls: {ca: certs/partner-ca.pem, spki_pins: [<base64 sha-256>], client_cert: certs/c.pem,
            client_key: ${secret:payments.client_key}}
      timeouts: {connect: 2s, read: 5s, total: 10s}   # read: silence before an idempotent call is retried once
      request: {allow_fields: [amount, currency], max_bytes: 64KiB}
      response: {max_bytes: 1MiB, schema: {...}}  # or openapi: <name of a top-level openapi: document>
      connect: refuse                             # or passthrough: CONNECT tunnels to its allow-listed hosts
  forward_proxy:                                  # with a listener that says forward_proxy: true
    authenticate: [{api_key: {}}, {mtls: {ca: certs/clients-ca.pem}}]   # first that succeeds wins
    tunnel: {idle_timeout: 5m, max_duration: 1h}
```
Secret-bearing fields are references (``${secret:…}``, ``${env:…}``, ``${file:…}``), never values.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bastion.config.units import Duration, Size
from bastion.secrets.references import is_reference

_FROZEN = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
_HOSTPORT = re.compile(r"^[A-Za-z0-9.\-]+:\d{1,5}$")


def _reference(value: str) -> str:
    if not is_reference(value):
        raise ValueError("must be a reference: ${secret:NAME}, ${env:NAME} or ${file:PATH}")
    return value


def _https(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise ValueError("must be an https:// URL without credentials (TLS is mandatory for egress)")
    return value.rstrip("/")


class OAuth2Credential(BaseModel):
    model_config = _FROZEN
    kind: Literal["oauth2"]
    token_url: str
    client_id: str
    client_secret: str
    """Reference to the client secret; rotated versions are tried newest first during the overlap."""
    scope: str | None = None
    audience: str | None = None
    auth_method: Literal["client_secret_basic", "client_secret_post"] = "client_secret_basic"
    refresh_before: Duration = 30.0
    """Refresh a cached token this long before it expires."""

    _token_url = field_validator("token_url")(classmethod(lambda cls, v: _https(v)))
    _secret = field_validator("client_secret")(classmethod(lambda cls, v: _reference(v)))


class ApiKeyCredential(BaseModel):
    model_config = _FROZEN
    kind: Literal["api_key"]
    header: str = "x-api-key"
    value: str
    """Reference to the key."""
    prefix: str = ""
    """Written before the key, e.g. ``"Bearer "``."""

    _value = field_validator("value")(classmethod(lambda cls, v: _reference(v)))


class HeadersCredential(BaseModel):
    model_config = _FROZEN
    kind: Literal["headers"]
    headers: dict[str, str]
    """Header name → reference to its value."""

    @field_validator("headers")
    @classmethod
    def _refs(cls, value: dict[str, str]) -> dict[str, str]:
        return {k.lower(): _reference(v) for k, v in value.items()}


class HmacCredential(BaseModel):
    model_config = _FROZEN
    kind: Literal["hmac"]
    key_id: str
    secret: str
    """Reference to the shared signing key."""

    _secret = field_validator("secret")(classmethod(lambda cls, v: _reference(v)))


class NoCredential(BaseModel):
    model_config = _FROZEN
    kind: Literal["none"]


Credential = Annotated[
    OAuth2Credential | ApiKeyCredential | HeadersCredential | HmacCredential | NoCredential,
    Field(discriminator="kind"),
]


class PartnerTls(BaseModel):
    model_config = _FROZEN
    ca: str | None = None
    """PEM bundle to trust instead of the system store (relative to the config file)."""
    spki_pins: list[str] = Field(default_factory=list)
    """Base64 SHA-256 of the partner's SubjectPublicKeyInfo; any one must match (pin a backup key too)."""
    client_cert: str | None = None
    """PEM certificate (chain) presented to partners that require mTLS."""
    client_key: str | None = None
    """Reference to the PEM private key of ``client_cert``."""


class Timeouts(BaseModel):
    model_config = _FROZEN
    connect: Duration = 5.0
    read: Duration = 10.0
    """Longest silence while waiting for the partner's response bytes; an idempotent call that meets it on
    one connection is tried once more on another one, within ``total``."""
    total: Duration = 30.0


class RequestRules(BaseModel):
    model_config = _FROZEN
    allow_fields: list[str] | None = None
    """Top-level JSON fields callers may send to this partner; others are removed (``None``: all)."""
    max_bytes: Size = 1 << 20


class ResponseRules(BaseModel):
    model_config = _FROZEN
    max_bytes: Size = 1 << 20
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    """JSON Schema every successful JSON response must satisfy; undeclared fields are removed."""
    openapi: str | None = None
    """Name of a top-level ``openapi:`` document describing the partner: only its operations may be
    called, and each answer is checked against that operation's response schema (instead of ``schema``)."""
    inspect: bool = True
    """Refuse string values that carry injection payloads (SQL, script, template, JNDI)."""
    allow_unvalidated: bool = False
    """Pass bodies through when neither schema nor openapi is set (a SecurityWarning)."""

    @model_validator(mode="after")
    def _one_contract(self) -> ResponseRules:
        if self.schema_ is not None and self.openapi is not None:
            raise ValueError("give either schema or openapi, not both")
        return self


class PartnerConfig(BaseModel):
    model_config = _FROZEN
    url: str
    callers: list[str]
    credential: Credential = NoCredential(kind="none")
    allow_hosts: list[str] = Field(default_factory=list)
    allow_networks: list[str] = Field(default_factory=list)
    addresses: dict[str, list[str]] = Field(default_factory=dict)
    """Fixed addresses for this partner's hosts instead of DNS (``{host: [ip, …]}``); they are still
    checked against the address rules, so a private one also needs ``allow_networks``."""
    tls: PartnerTls = PartnerTls()
    timeouts: Timeouts = Timeouts()
    request: RequestRules = RequestRules()
    response: ResponseRules = ResponseRules()
    strip_request_headers: list[str] = Field(default_factory=list)
    """Extra caller headers to remove (credentials are always removed)."""
    connect: Literal["refuse", "passthrough"] = "refuse"
    """On a forward-proxy listener, ``passthrough`` lets authorised callers open CONNECT tunnels to this
    partner's allow-listed ``host:port`` pairs. A tunnel is opaque: bastion checks who connects where
    (and the address rules), but injects no credential and validates nothing that flows through it."""

    _url = field_validator("url")(classmethod(lambda cls, v: _https(v)))

    @field_validator("allow_hosts")
    @classmethod
    def _hostports(cls, value: list[str]) -> list[str]:
        for hp in value:
            if not _HOSTPORT.match(hp):
                raise ValueError(f"{hp!r}: expected host:port")
        return [hp.lower() for hp in value]

    @field_validator("addresses")
    @classmethod
    def _ips(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {h.lower(): [str(ipaddress.ip_address(a)) for a in addrs] for h, addrs in value.items()}

    @field_validator("allow_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        return [str(ipaddress.ip_network(v, strict=False)) for v in value]


class TunnelLimits(BaseModel):
    model_config = _FROZEN
    idle_timeout: Duration = 300.0
    """Close a CONNECT tunnel after this long without a byte in either direction."""
    max_duration: Duration = 3600.0
    """Close a CONNECT tunnel this long after it opened, whatever is flowing."""


class ForwardProxySection(BaseModel):
    model_config = _FROZEN
    authenticate: list[dict[str, Any]] = Field(min_length=1)
    """Identity policies (``jwt``, ``introspection``, ``api_key``, ``mtls``), tried in order; the first that
    establishes the caller wins. Bearer credentials come from ``Proxy-Authorization`` (``Bearer <token>``,
    or ``Basic`` with the token as the password); ``mtls`` reads the listener's client certificate."""
    tunnel: TunnelLimits = TunnelLimits()


class EgressSection(BaseModel):
    model_config = _FROZEN
    partners: dict[str, PartnerConfig] = Field(default_factory=dict)
    mount: str = "/egress"
    """Path prefix callers use: ``<mount>/<partner>/<path>``."""
    credential_cache: Duration = 5.0
    """How long a secret value read from the store is reused before it is read again."""
    forward_proxy: ForwardProxySection | None = None
    """Serve partners to callers that use bastion as an explicit HTTP proxy (on ``forward_proxy`` listeners)."""
