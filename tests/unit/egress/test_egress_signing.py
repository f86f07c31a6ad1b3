"""Unit: the BASTION-HMAC-SHA256 request-signing scheme — format, verification and every tamper case."""

from __future__ import annotations

import hashlib

import pytest

from bastion.egress.signing import DATE_HEADER, HASH_HEADER, sign, string_to_sign, verify

KEY = b"k" * 32
NOW = 1_800_000_000


def _signed(method: str = "POST", target: str = "/v1/pay?x=1", body: bytes = b'{"a":1}') -> dict[str, str]:
    return dict(sign(KEY, "kid-1", NOW, method, target, body))


def test_string_to_sign_layout() -> None:
    text, body_hash = string_to_sign(NOW, "post", "/p?q=1", b"abc")
    assert body_hash == hashlib.sha256(b"abc").hexdigest()
    assert text == f"BASTION-HMAC-SHA256\n{NOW}\nPOST\n/p?q=1\n{body_hash}"


def test_signature_verifies() -> None:
    assert verify(_signed(), "POST", "/v1/pay?x=1", b'{"a":1}', {"kid-1": KEY}.get, NOW + 10) == "kid-1"


@pytest.mark.parametrize(
    ("method", "target", "body", "now"),
    [
        ("PUT", "/v1/pay?x=1", b'{"a":1}', NOW),          # method changed
        ("POST", "/v1/pay?x=2", b'{"a":1}', NOW),         # query changed
        ("POST", "/v1/pay?x=1", b'{"a":2}', NOW),         # body changed
        ("POST", "/v1/pay?x=1", b'{"a":1}', NOW + 301),   # replayed outside the window
    ],
)
def test_rejects_tampered_or_replayed_request(method: str, target: str, body: bytes, now: int) -> None:
    assert verify(_signed(), method, target, body, {"kid-1": KEY}.get, now) is None


def test_rejects_unknown_key_and_forged_signature() -> None:
    headers = _signed()
    no_keys: dict[str, bytes] = {}
    assert verify(headers, "POST", "/v1/pay?x=1", b'{"a":1}', no_keys.get, NOW) is None
    forged = dict(headers, authorization=headers["authorization"].replace('signature="', 'signature="A'))
    assert verify(forged, "POST", "/v1/pay?x=1", b'{"a":1}', {"kid-1": KEY}.get, NOW) is None


def test_rejects_mismatched_body_hash_header() -> None:
    headers = dict(_signed(), **{HASH_HEADER: hashlib.sha256(b"other").hexdigest()})
    assert verify(headers, "POST", "/v1/pay?x=1", b'{"a":1}', {"kid-1": KEY}.get, NOW) is None
    assert _signed()[DATE_HEADER] == str(NOW)
