"""The API-key format: ``<prefix>_<key id>_<secret><checksum>``, e.g. ``bst_4fQ2x9LmPz0a_…``.

- The fixed prefix lets secret scanners (GitHub push protection, gitleaks, trufflehog) find leaked keys.
- The key id (12 base62 characters) is public: it names the stored record, so lookup needs no scan.
- The secret is 32 base62 characters (~190 bits) from ``secrets``.
- The checksum (CRC32 of everything before it, 6 base62 characters) lets scanners and the gateway reject
  typos and random strings without touching the store.
"""

from __future__ import annotations

import re
import secrets
import zlib
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ID_LEN = 12
SECRET_LEN = 32
CHECKSUM_LEN = 6


@dataclass(frozen=True, slots=True)
class ParsedKey:
    prefix: str
    key_id: str


def _base62(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 62)
        out.append(ALPHABET[r])
    return "".join(reversed(out))


def _random(width: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(width))


def checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode("ascii")), CHECKSUM_LEN)


def generate(prefix: str) -> tuple[str, str]:
    """A new key and its id. The key is shown once and never stored."""
    key_id = _random(ID_LEN)
    body = f"{prefix}_{key_id}_{_random(SECRET_LEN)}"
    return body + checksum(body), key_id


def key_pattern(prefix: str) -> re.Pattern[str]:
    """A regex matching this deployment's keys (for secret-scanner configuration)."""
    return re.compile(rf"\b{re.escape(prefix)}_[0-9A-Za-z]{{{ID_LEN}}}_[0-9A-Za-z]{{{SECRET_LEN + CHECKSUM_LEN}}}\b")


def parse(key: str, prefix: str) -> ParsedKey | None:
    """The key's id if it is well-formed with a valid checksum, else None (no store lookup needed)."""
    if len(key) != len(prefix) + ID_LEN + SECRET_LEN + CHECKSUM_LEN + 2 or not key.startswith(prefix + "_"):
        return None
    if not key_pattern(prefix).fullmatch(key):
        return None
    body, check = key[:-CHECKSUM_LEN], key[-CHECKSUM_LEN:]
    if not secrets.compare_digest(checksum(body), check):
        return None
    return ParsedKey(prefix, key[len(prefix) + 1:len(prefix) + 1 + ID_LEN])
