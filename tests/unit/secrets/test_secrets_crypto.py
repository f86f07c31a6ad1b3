"""Unit: AES-256-GCM envelope encryption, master key parsing, and tamper detection."""

from __future__ import annotations

import base64
import os

import pytest

from bastion.errors import SecretError
from bastion.secrets.crypto import MasterKey, key_aad, open_value, seal_value, value_aad


def test_round_trip_through_wrapped_data_key() -> None:
    master = MasterKey(os.urandom(32))
    data_key, blob = seal_value(b"partner-secret", value_aad("p", 1))
    wrapped = master.wrap(data_key, key_aad("p", 1))
    assert b"partner-secret" not in blob and data_key not in wrapped
    assert open_value(master.unwrap(wrapped, key_aad("p", 1)), blob, value_aad("p", 1)) == b"partner-secret"


def test_rejects_ciphertext_moved_to_another_secret() -> None:
    data_key, blob = seal_value(b"v", value_aad("a", 1))
    with pytest.raises(SecretError, match="failed authentication"):
        open_value(data_key, blob, value_aad("b", 1))


def test_rejects_flipped_ciphertext_bit() -> None:
    data_key, blob = seal_value(b"value", value_aad("a", 1))
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(SecretError, match="failed authentication"):
        open_value(data_key, tampered, value_aad("a", 1))


def test_wrong_master_key_cannot_unwrap() -> None:
    wrapped = MasterKey(os.urandom(32)).wrap(os.urandom(32), key_aad("a", 1))
    with pytest.raises(SecretError):
        MasterKey(os.urandom(32)).unwrap(wrapped, key_aad("a", 1))


def test_master_key_parses_base64_urlsafe_and_hex_to_same_kid() -> None:
    raw = os.urandom(32)
    kids = {
        MasterKey.parse(base64.b64encode(raw).decode()).kid,
        MasterKey.parse(base64.urlsafe_b64encode(raw).decode()).kid,
        MasterKey.parse(raw.hex()).kid,
    }
    assert len(kids) == 1


@pytest.mark.parametrize("text", ["short", base64.b64encode(os.urandom(16)).decode(), "z" * 64])
def test_master_key_of_wrong_size_or_encoding_rejected(text: str) -> None:
    with pytest.raises(SecretError):
        MasterKey.parse(text)


def test_master_key_repr_shows_only_kid() -> None:
    raw = os.urandom(32)
    key = MasterKey(raw)
    assert raw.hex() not in repr(key) and key.kid in repr(key)
    assert MasterKey.parse(MasterKey.generate_text()).kid != key.kid
