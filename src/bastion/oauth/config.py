"""The ``oauth:`` configuration section: the built-in authorization server and the credential stores."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bastion.secrets.references import is_reference


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class SigningSettings(_Model):
    algorithm: Literal["ES256", "Ed25519"] = "ES256"
    """ES256 (default) or Ed25519 (RFC 9864's fully-specified name for EdDSA over Ed25519)."""
    rotate_every_days: Annotated[float, Field(gt=0, le=365)] = 30.0
    """Scheduled rotation: a key older than this is replaced at the next issuance. The old public key stays
    in the JWKS until every token it signed has expired."""


class BruteForceSettings(_Model):
    max_failures: Annotated[int, Field(ge=1, le=1000)] = 5
    """Failed client authentications allowed per client id and per client IP within ``window``."""
    window: Annotated[float, Field(gt=0)] = 60.0
    lockout: Annotated[float, Field(gt=0)] = 300.0


class ApiKeySettings(_Model):
    hmac_secret: str | None = None
    """Reference (``${env:…}``/``${file:…}``) to the server secret keying each stored HMAC-SHA256."""
    prefix: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]{1,9}$")] = "bst"
    cache_seconds: Annotated[float, Field(ge=0, le=60)] = 1.0
    """How long a gateway trusts a looked-up key record; bounds how late a revocation takes effect."""

    @field_validator("hmac_secret")
    @classmethod
    def _secret_reference(cls, value: str | None) -> str | None:
        return _reference(value)


class AuthServerSection(_Model):
    enabled: bool = True
    issuer: str = "https://localhost:8443"
    """The public base URL the gateway serves the authorization server under (the ``iss`` of its tokens)."""
    database: str = "sqlite:bastion-auth.db"
    """``sqlite:PATH`` (default, one machine) or ``postgresql://…`` (several instances)."""
    table_prefix: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")] = "bastion_auth_"
    master_key: str | None = None
    """Reference to the 256-bit master key that encrypts signing private keys at rest (AES-256-GCM)."""
    token_ttl: Annotated[int, Field(ge=30, le=3600)] = 600
    """Access-token lifetime in seconds (RFC 9068 JWTs; short-lived on purpose)."""
    audience: str = "api"
    """Default ``aud`` of issued tokens; a client may have its own."""
    assertion_max_lifetime: Annotated[int, Field(ge=10, le=3600)] = 300
    """``private_key_jwt`` assertions (RFC 7523) living longer than this are refused."""
    certificate_bound_tokens: bool = False
    """Bind tokens to the client certificate presented at the token endpoint (RFC 8705 ``cnf.x5t#S256``);
    the ``jwt`` policy then accepts them only over a connection with that certificate."""
    signing: SigningSettings = SigningSettings()
    brute_force: BruteForceSettings = BruteForceSettings()
    api_keys: ApiKeySettings = ApiKeySettings()

    @field_validator("master_key")
    @classmethod
    def _must_be_reference(cls, value: str | None) -> str | None:
        return _reference(value)


def _reference(value: str | None) -> str | None:
    if value is not None and not is_reference(value):
        raise ValueError("must be a reference such as ${env:NAME} or ${file:PATH}, never the secret itself")
    return value
