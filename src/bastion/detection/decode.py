"""Decoders: every form of a value that an interpreter behind the gateway might end up seeing.

An attacker hides a payload from a filter by encoding it once more than the filter decodes. So a
value is decoded repeatedly (up to ``MAX_ROUNDS``) with every transform that applies to it:
percent (including ``%uXXXX`` and overlong UTF-8 such as ``%c0%ae``), JavaScript/JSON escapes
(``\\uXXXX``, ``\\xXX``, ``\\u{…}``), HTML entities, and Unicode compatibility folding (NFKC turns
fullwidth less-than (U+FF1C) into ``<`` and ``①`` into ``1``). Each distinct intermediate form is returned, so a
rule sees both the raw value and what it becomes. Base64 is decoded only where a field is marked.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import unicodedata

MAX_ROUNDS = 4
_PCT_U = re.compile(r"%u([0-9a-fA-F]{4})")
_PCT = re.compile(r"(?:%[0-9a-fA-F]{2})+")
_JS_ESC = re.compile(r"\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});?")
_OVERLONG = {
    b"\xc0\xae": b".", b"\xe0\x80\xae": b".", b"\xc0\xaf": b"/", b"\xe0\x80\xaf": b"/",
    b"\xc1\x9c": b"\\", b"\xc0\xbc": b"<", b"\xc0\xbe": b">", b"\xc0\xa7": b"'", b"\xc0\xa2": b'"',
}
_OVERLONG_RE = re.compile(b"|".join(re.escape(k) for k in _OVERLONG))
_B64 = re.compile(r"[A-Za-z0-9+/_-]{8,}={0,2}")


def _percent_bytes(match: re.Match[str]) -> str:
    raw = bytes.fromhex(match.group(0).replace("%", ""))
    raw = _OVERLONG_RE.sub(lambda m: _OVERLONG[m.group(0)], raw)
    return raw.decode("utf-8", errors="replace")


def percent_decode(value: str) -> str:
    """One round of percent-decoding: ``%XX`` runs as UTF-8 (overlong forms folded) and ``%uXXXX``."""
    value = _PCT_U.sub(lambda m: chr(int(m.group(1), 16)), value)
    return _PCT.sub(_percent_bytes, value)


def _js_char(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2) or match.group(3), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def js_unescape(value: str) -> str:
    """Decode ``\\uXXXX``, ``\\u{X…}`` and ``\\xXX`` escapes (JavaScript, JSON, Python, CSS-like)."""
    return _JS_ESC.sub(_js_char, value)


def _step(value: str) -> str:
    out = value
    if "%" in out:
        out = percent_decode(out)
    if "\\" in out:
        out = js_unescape(out)
    if "&" in out and _ENTITY.search(out):
        out = html.unescape(out)
    if not out.isascii():
        out = unicodedata.normalize("NFKC", out)
    if "\x00" in out:
        out = out.replace("\x00", "")
    return out


def variants(value: str) -> list[str]:
    """The value and each distinct form it decodes to, in order; the raw value is always first."""
    forms = [value]
    current = value
    for _ in range(MAX_ROUNDS):
        nxt = _step(current)
        if nxt == current:
            break
        forms.append(nxt)
        current = nxt
    return forms


def needs_decoding(value: str) -> bool:
    """Fast path: a plain ASCII value with nothing to decode is inspected as is."""
    return not value.isascii() or "%" in value or "\\" in value or "&" in value or "\x00" in value


def base64_text(value: str) -> str | None:
    """Decode a field marked as base64 (standard or URL-safe, padding optional) to text, if it is text."""
    compact = value.strip()
    if not _B64.fullmatch(compact):
        return None
    padded = compact + "=" * (-len(compact) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None
    text = raw.decode("utf-8", errors="replace")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return text if text and printable / len(text) > 0.9 else None
