"""The gateway's checkpoint signing key (Ed25519).

The key comes from a PEM file or ``${file:…}``/``${env:…}`` reference, or is generated on first start
into the state directory (mode 0600 in a 0700 directory). Only the public key ever appears in the
log (in the genesis record) or in output; ``repr`` shows the key id.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from bastion.errors import ConfigError
from bastion.observability.state_files import create_once

KEY_FILE_NAME = "audit-ed25519.pem"


def public_key_text(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def key_id(public_text: str) -> str:
    return hashlib.sha256(public_text.encode()).hexdigest()[:16]


def parse_public_key(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


def verify_signature(public_text: str, signature_b64: str, message: bytes) -> bool:
    try:
        parse_public_key(public_text).verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True


class CheckpointSigner:
    __slots__ = ("_key", "key_id", "public_text")

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public_text = public_key_text(key.public_key())
        self.key_id = key_id(self.public_text)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._key.sign(message)).decode()

    def __repr__(self) -> str:
        return f"CheckpointSigner(key_id={self.key_id!r})"

    @classmethod
    def generate(cls) -> CheckpointSigner:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: bytes) -> CheckpointSigner:
        try:
            key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError):
            raise ConfigError("audit.key", "not a PEM private key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError("audit.key", "the audit signing key must be Ed25519")
        return cls(key)


def load_or_create_signer(pem: bytes | None, state_dir: Path) -> CheckpointSigner:
    """Use ``pem`` if given, else the key in ``state_dir`` (generated there on first use)."""
    if pem is not None:
        return CheckpointSigner.from_pem(pem)
    path = state_dir / KEY_FILE_NAME
    if path.exists():
        return CheckpointSigner.from_pem(path.read_bytes())
    key = Ed25519PrivateKey.generate()
    pem_out = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    written = create_once(path, pem_out)  # workers starting together: the first key written is everyone's
    return CheckpointSigner(key) if written == pem_out else CheckpointSigner.from_pem(written)


def load_pinned_public_key(path: Path) -> str:
    """A public key to pin verification to, from a private or public PEM file."""
    data = path.read_bytes()
    if b"PRIVATE KEY" in data:
        return CheckpointSigner.from_pem(data).public_text
    public = serialization.load_pem_public_key(data)
    if not isinstance(public, Ed25519PublicKey):
        raise ConfigError("key", "not an Ed25519 public key")
    return public_key_text(public)
