"""Unit: the egress config section refuses insecure or malformed partner definitions."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bastion.egress.build import build_egress_sync
from bastion.egress.config import EgressSection
from bastion.egress.credential_source import CredentialSource
from bastion.errors import ConfigError, SecurityWarning

BASE: dict[str, Any] = {"url": "https://p.test/api", "callers": ["svc"]}


def _partner(**over: Any) -> EgressSection:
    return EgressSection.model_validate({"partners": {"p": {**BASE, **over}}})


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"url": "http://p.test/api"}, "https://"),
        ({"url": "https://user:pw@p.test/"}, "without credentials"),
        ({"credential": {"kind": "api_key", "value": "literal-key"}}, "must be a reference"),
        ({"credential": {"kind": "oauth2", "token_url": "https://a.test/t", "client_id": "c",
                         "client_secret": "plain"}}, "must be a reference"),
        ({"credential": {"kind": "oauth2", "token_url": "http://a.test/t", "client_id": "c",
                         "client_secret": "${env:X}"}}, "https://"),
        ({"credential": {"kind": "headers", "headers": {"x-k": "v"}}}, "must be a reference"),
        ({"allow_hosts": ["no-port.test"]}, "host:port"),
        ({"allow_networks": ["not-a-net"]}, "does not appear"),
        ({"addresses": {"p.test": ["not-an-ip"]}}, "does not appear"),
        ({"credential": {"kind": "kerberos"}}, "kind"),
        ({"surprise": 1}, "Extra inputs"),
    ],
)
def test_rejects_insecure_or_malformed_partner(override: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _partner(**override)


def test_defaults_are_safe() -> None:
    p = _partner().partners["p"]
    assert p.credential.kind == "none" and p.allow_networks == [] and p.response.allow_unvalidated is False
    assert p.response.inspect is True and p.tls.spki_pins == []


def test_durations_and_references_parse() -> None:
    p = _partner(credential={"kind": "oauth2", "token_url": "https://a.test/t", "client_id": "c",
                             "client_secret": "${secret:p.cs}", "refresh_before": "2m"},
                 timeouts={"connect": "500ms", "total": "10s"}).partners["p"]
    assert p.timeouts.connect == 0.5 and p.timeouts.total == 10.0
    assert p.credential.kind == "oauth2" and p.credential.refresh_before == 120.0


def test_openapi_and_schema_are_mutually_exclusive() -> None:
    with pytest.raises(ValidationError, match="either schema or openapi"):
        _partner(response={"schema": {"type": "object"}, "openapi": "p"})


def test_unknown_openapi_document_is_a_config_error() -> None:
    section = _partner(response={"openapi": "missing"})
    with pytest.raises(ConfigError, match="no document named 'missing'"):
        build_egress_sync(section, CredentialSource())


def test_unvalidated_responses_warn() -> None:
    with pytest.warns(SecurityWarning, match="unvalidated"):
        build_egress_sync(_partner(response={"allow_unvalidated": True}), CredentialSource())
