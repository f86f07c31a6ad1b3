"""Envelope encryption with AES-256-GCM.

Each secret version gets its own random 256-bit data key. The value is encrypted with the data key
and the data key is wrapped (encrypted) with the master key; only wrapped keys are stored. Rotating
the master key re-wraps the data keys and leaves every value ciphertext untouched.

Both encryptions bind associated data naming the secret and version, so a ciphertext copied onto
another row (or a wrapped key swapped between secrets) fails authentication instead of decrypting.
Stored blobs are ``nonce (12 bytes) || ciphertext+tag``.

The master key is 32 bytes given by reference (``${env:…}``/``${file:…}``) as base64 (standard or
url-safe, 44 characters) or hex (64 characters). Its ``kid`` is an HMAC-derived fingerprint that
identifies which master key wrapped a data key without revealing anything about the key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bastion.errors import SecretError

NONCE_BYTES = 12
KEY_BYTES = 32


class MasterKey:
    """A 256-bit key-encryption key. Its ``repr`` shows only the kid."""

    __slots__ = ("_aead", "kid")

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise SecretError("master key must be 32 bytes (base64 or hex encoded)")
        self._aead = AESGCM(key)
        self.kid = hmac.new(key, b"bastion-master-key-id", hashlib.sha256).hexdigest()[:16]

    @classmethod
    def parse(cls, text: str) -> MasterKey:
        """Decode a master key from base64 (44 chars) or hex (64 chars)."""
        text = text.strip()
        key: bytes | None = None
        if len(text) == 2 * KEY_BYTES:
            try:
                key = bytes.fromhex(text)
            except ValueError:
                key = None
        if key is None:
            try:
                key = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
            except (binascii.Error, ValueError):
                raise SecretError("master key is neither base64 nor hex") from None
        return cls(key)

    @staticmethod
    def generate_text() -> str:
        """A new random master key, base64-encoded (for ``bastion secrets`` set-up)."""
        return base64.b64encode(os.urandom(KEY_BYTES)).decode()

    def wrap(self, data_key: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data_key, aad)

    def unwrap(self, blob: bytes, aad: bytes) -> bytes:
        return _open(self._aead, blob, aad, "wrapped data key")

    def __repr__(self) -> str:
        return f"MasterKey(kid={self.kid!r})"


def seal_value(value: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """Encrypt ``value`` under a fresh data key; returns ``(data_key, blob)``."""
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE_BYTES)
    return data_key, nonce + AESGCM(data_key).encrypt(nonce, value, aad)


def open_value(data_key: bytes, blob: bytes, aad: bytes) -> bytes:
    return _open(AESGCM(data_key), blob, aad, "secret value")


def _open(aead: AESGCM, blob: bytes, aad: bytes, what: str) -> bytes:
    if len(blob) < NONCE_BYTES + 16:
        raise SecretError(f"{what} is truncated")
    try:
        return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag:
        raise SecretError(f"{what} failed authentication (wrong master key or tampered row)") from None


def value_aad(name: str, version: int) -> bytes:
    return f"bastion-secret-value\x00{name}\x00{version}".encode()


def key_aad(name: str, version: int) -> bytes:
    return f"bastion-secret-dek\x00{name}\x00{version}".encode()
