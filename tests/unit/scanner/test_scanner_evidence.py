"""Unit: evidence never carries credentials, tokens or secret fields; curl lines use placeholders."""

from __future__ import annotations

import orjson

from bastion.scanner.evidence import evidence, redact
from bastion.scanner.messages import ProbeRequest, ProbeResponse

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl"


def test_identity_credentials_become_placeholders() -> None:
    ev = evidence("https://api.test", ProbeRequest("GET", "/me", identity="a"), ProbeResponse(200))
    assert "$AUTH_A" in ev.curl and "$AUTH_A" in ev.request


def test_forged_tokens_and_query_secrets_are_masked() -> None:
    request = ProbeRequest("GET", "/x", query=(("access_token", JWT),), headers=(("Authorization", f"Bearer {JWT}"),))
    ev = evidence("https://api.test", request, ProbeResponse(200, body=orjson.dumps({"token": JWT})))
    assert JWT not in ev.curl + ev.request + ev.response


def test_secret_fields_in_bodies_are_masked() -> None:
    request = ProbeRequest("POST", "/login", json={"username": "alice", "password": "alice-pass-1"})
    body = orjson.dumps({"password_hash": "abcd$0123456789", "note": "ok"})
    ev = evidence("https://api.test", request, ProbeResponse(200, body=body))
    assert "alice-pass-1" not in ev.request + ev.curl
    assert "0123456789" not in ev.response
    assert '"note":"ok"' in ev.response


def test_redact_walks_nested_documents() -> None:
    assert redact({"a": [{"api_key": "ak_1234567890"}]}) == {"a": [{"api_key": "ak_1…[redacted]"}]}
