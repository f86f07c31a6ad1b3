"""Unit: the issuers: and oauth: sections refuse unsafe settings."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bastion.oauth.config import AuthServerSection
from bastion.tokens.config import IssuersSection

GOOD = {"issuer": "https://idp.example.test/", "jwks_uri": "https://idp.example.test/jwks", "audiences": ["api"]}


@pytest.mark.parametrize("change", [
    {"algorithms": ["none"]}, {"algorithms": ["HS256"]}, {"algorithms": ["NONE", "RS256"]}, {"algorithms": []},
    {"audiences": []}, {"jwks_uri": "http://idp.example.test/jwks"}, {"leeway": 3600},
    {"discovery": True}, {"jwks_uri": None}, {"issuer": ""},
    {"introspection": {"endpoint": "https://idp/introspect", "client_id": "gw", "client_secret": "plaintext"}},
])
def test_issuer_config_refuses(change: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        IssuersSection.model_validate({"corp": {**GOOD, **change}})


def test_issuer_config_accepts_loopback_http_and_builtin() -> None:
    IssuersSection.model_validate({"a": {**GOOD, "jwks_uri": "http://127.0.0.1:9000/jwks"},
                                   "b": {"builtin": True, "audiences": ["api"]}})


@pytest.mark.parametrize("raw", [
    {"master_key": "c2VjcmV0LWtleQ=="}, {"api_keys": {"hmac_secret": "hunter2"}}, {"token_ttl": 86400},
    {"signing": {"algorithm": "HS256"}}, {"surprise": 1},
])
def test_oauth_section_refuses(raw: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        AuthServerSection.model_validate(raw)
