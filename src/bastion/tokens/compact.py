"""Strict parsing of a compact JWS (RFC 7515 §7.1) before any cryptography runs.

Rejects, with ``MalformedToken``: anything but three dot-separated parts, characters outside the
base64url alphabet, padding, non-canonical trailing bits, headers/payloads over the size caps, JSON that
is not an object, and JSON objects with duplicate member names (RFC 8725 §3.6; a second ``alg`` or
``sub`` must not silently win).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from bastion.tokens.errors import MalformedToken

_B64URL = re.compile(r"[A-Za-z0-9_-]*")
MAX_HEADER_BYTES = 1024
MAX_PAYLOAD_BYTES = 16384
MAX_SIGNATURE_BYTES = 1024


@dataclass(frozen=True, slots=True)
class CompactJWS:
    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes


def b64url_decode(part: str, limit: int) -> bytes:
    """Decode unpadded base64url strictly; ``limit`` caps the encoded length before any work is done."""
    if len(part) > limit * 4 // 3 + 4:
        raise MalformedToken("token part too large")
    if not _B64URL.fullmatch(part) or len(part) % 4 == 1:
        raise MalformedToken("invalid base64url")
    padded = part + "=" * (-len(part) % 4)
    try:
        raw = base64.urlsafe_b64decode(padded)
    except (binascii.Error, ValueError):
        raise MalformedToken("invalid base64url") from None
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != part:
        raise MalformedToken("non-canonical base64url")
    return raw


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise MalformedToken("duplicate JSON member")
        out[key] = value
    return out


def _reject_constant(_: str) -> Any:
    raise MalformedToken("non-finite number")


def parse_json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(
            raw.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_reject_constant
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedToken("invalid JSON") from None
    if not isinstance(value, dict):
        raise MalformedToken("JSON is not an object")
    return value


def parse_compact(token: str, max_payload: int = MAX_PAYLOAD_BYTES) -> CompactJWS:
    if len(token) > (MAX_HEADER_BYTES + max_payload + MAX_SIGNATURE_BYTES) * 4 // 3 + 8:
        raise MalformedToken("token too large")
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedToken("not a compact JWS")
    h64, p64, s64 = parts
    if not h64 or not p64:
        raise MalformedToken("empty part")
    header = parse_json_object(b64url_decode(h64, MAX_HEADER_BYTES))
    claims = parse_json_object(b64url_decode(p64, max_payload))
    signature = b64url_decode(s64, MAX_SIGNATURE_BYTES)
    return CompactJWS(header, claims, f"{h64}.{p64}".encode("ascii"), signature)
