"""Decoders: every form of a value that an interpreter behind the gateway might end up seeing.

An attacker hides a payload from a filter by encoding it once more than the filter decodes. So a
value is decoded repeatedly (up to ``MAX_ROUNDS``) with every transform that applies to it:
percent (including ``%uXXXX`` and overlong UTF-8 such as ``%c0%ae``), JavaScript/JSON escapes
(``\\uXXXX``, ``\\xXX``, ``\\u{…}``), HTML entities, and Unicode compatibility folding (NFKC turns
fullwidth less-than (U+FF1C) into ``<`` and ``①`` into ``1``). Each distinct intermediate form is returned, so a
rule sees both the raw value and what it becomes.

Base64 is decoded where a field is marked, and otherwise only when a whole value looks like it
(``sniff_base64``): standard alphabet, at least 11 characters (8 bytes), decoding to UTF-8 text with no control
characters but line breaks and tabs. Random bytes (keys, hashes, images, hex ids) seldom decode to such
text (the chance for 8 random bytes is about one in 3000, for 16 under one in 10^7), and text that does
decode is only inspected, so ids and tokens are not blocked for it, while ``PHNjcmlwdD4…`` is read as ``<script>…``.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import re
import unicodedata

MAX_ROUNDS = 4
_URL_START = re.compile(r"\s*[a-z][\w+.-]*://", re.I)
_PCT_U = re.compile(r"%u([0-9a-fA-F]{4})")
_PCT = re.compile(r"(?:%[0-9a-fA-F]{2})+")
_JS_ESC = re.compile(r"\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});?")
_OVERLONG_RE = re.compile(rb"[\xc0\xc1][\x80-\xbf]|\xe0[\x80-\x81][\x80-\xbf]")
"""Overlong UTF-8 for an ASCII character (``%c0%ae`` ".", ``%c0%af`` "/", ``%c0%a0`` " ", ``%e0%80%ae``): invalid,
but decoders that only mask the payload bits (old IIS, some Java and PHP stacks) read the character it spells."""


def _overlong(match: re.Match[bytes]) -> bytes:
    raw = match.group(0)
    payload = 0
    for byte in raw[1:]:
        payload = (payload << 6) | (byte & 0x3F)
    payload |= (raw[0] & (0x1F if len(raw) == 2 else 0x0F)) << (6 * (len(raw) - 1))
    return bytes([payload])
_B64 = re.compile(r"[A-Za-z0-9+/_-]{8,}={0,2}")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
"""Format characters that render as nothing (zero-width space and joiners, bidi marks and overrides, word joiner,
BOM, soft hyphen): a keyword or tag split by them (``un\u200bion``, ``<\u202escript>``) reads as whole once a
normaliser, a copy-paste or a lenient parser drops them. Text keeps its meaning without them."""
_STRAY_PERCENT = re.compile(r"%(?![0-9a-fA-F]{2}|[uU][0-9a-fA-F]{4})(?=[a-zA-Z_])")
"""A ``%`` that starts no escape, before a letter or ``_``: classic ASP and IIS drop it, so ``%S%E%L%E%C%T`` reads as
``SELECT`` (sqlmap's ``percentage`` tamper). Prose puts a space or a digit after its percent sign."""
_ESCAPED_PUNCT = re.compile(r"\\([\\\"'`{}$/])")
"""One layer of backslash escaping over punctuation (``\\"``, ``\\'``, ``\\\\``, ``\\{``): what a JSON, JavaScript or
shell string literal becomes once the layer that wrote it is read back (``un\\",\\"ion``, ``$\\{jndi:…\\}``,
``c\\\\a\\\\t``)."""


def _latin1_blank(error: UnicodeError) -> tuple[str, int]:
    """A byte that is no UTF-8 reads as U+FFFD, but a lone ``%A0`` as U+00A0: the no-break space of Latin-1 and
    cp1252, which MySQL on a single-byte connection reads as a blank (sqlmap's ``space2nbsp``); NFKC then folds it
    to a space, so ``UNION%A0SELECT`` reads as ``UNION SELECT``."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join("\xa0" if byte == 0xA0 else "\ufffd" for byte in bad), error.end


codecs.register_error("bastion-latin1-blank", _latin1_blank)


def _percent_bytes(match: re.Match[str]) -> str:
    raw = bytes.fromhex(match.group(0).replace("%", ""))
    raw = _OVERLONG_RE.sub(_overlong, raw)
    return raw.decode("utf-8", errors="bastion-latin1-blank")


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
        out = _INVISIBLE.sub("", unicodedata.normalize("NFKC", out))
    if "\x00" in out:
        out = out.replace("\x00", "")
    return out


def variants(value: str) -> list[str]:
    """The value and each distinct form it decodes to, in order; the raw value is always first. A value
    sent with ``+`` and no space also yields the form with ``+`` read as a space, as one more round of
    form decoding (``;+cat+/etc/passwd``) would read it; a URL is left alone, since what a fetcher sends is
    decoded by the server it names (``?q=union+select`` is a search). A tab between words is a blank like a space:
    text with either was not form-encoded, so its ``+`` is a plus (``use\t"+="\tor\tjoin``)."""
    forms = [value]
    current = value
    for _ in range(MAX_ROUNDS):
        nxt = _step(current)
        if nxt == current:
            break
        forms.append(nxt)
        current = nxt
    if "%" in value and len(forms) > 1 and "&" in (once := percent_decode(value)) and once not in forms:
        forms.insert(1, once)  # what the server decodes, before ``&quote``/``&amp`` text is read as an entity
    if "+" in current and " " not in value and "\t" not in value and not _URL_START.match(current):
        forms.append(current.replace("+", " "))  # not in a URL: its query is decoded by the server it names
    if "%" in current and (dropped := _STRAY_PERCENT.sub("", current)) != current:
        forms.append(dropped)  # after decoding: %25S%25E… is %S%E… once decoded
    if "\\" in current and (unescaped := _ESCAPED_PUNCT.sub(r"\1", current)) != current:
        forms.append(unescaped)
    return forms


def needs_decoding(value: str) -> bool:
    """Fast path: a plain ASCII value with nothing to decode is inspected as is."""
    return (not value.isascii() or "%" in value or "\\" in value or "&" in value or "\x00" in value
            or ("+" in value and " " not in value and "\t" not in value))


_SNIFF = re.compile(r"[A-Za-z0-9+/ ]{11,}={0,2}")
_SNIFF_HEAD = 96
_TEXT_BREAKS = str.maketrans("", "", "\r\n\t\x00")
_REPLACEMENT_CHAR = "\ufffd".encode()


def sniff_base64(value: str) -> str | None:
    """The text a whole value decodes to when it is unmarked base64 (standard alphabet, padding
    optional), or ``None``. Spaces count as ``+``: a form or query decoder turns an unescaped ``+`` into
    a space before anyone base64-decodes the value. Only text with no control characters (line breaks,
    tabs and NULs aside) counts; the first bytes are checked before the rest is decoded, so a large binary
    blob costs little."""
    compact = value.strip()
    if len(compact) > _SNIFF_HEAD and _rejected_head(compact[:_SNIFF_HEAD]):
        return None  # a long value is judged by its head first: the whole is only matched when the head decodes
    if not _SNIFF.fullmatch(compact) or "  " in compact:
        return None
    if " " in compact:
        if compact.count(" ") * 16 > len(compact):
            return None  # prose: a word every few letters, where base64 has a '+' once in 64 characters
        compact = compact.replace(" ", "+")
    compact = compact.rstrip("=")
    if len(compact) % 4 == 1:
        return None  # no base64 is one character past a full group
    if len(compact) > _SNIFF_HEAD and _b64_text(compact[:_SNIFF_HEAD], strict=False) is None:
        return None
    return _b64_text(compact, strict=True)


def _rejected_head(head: str) -> bool:
    """The first ``_SNIFF_HEAD`` characters of a value already rule out base64 text (what ``sniff_base64`` checks
    on the whole, decided on a prefix: a 1,900-character note no longer pays a full regex match first)."""
    return (not _SNIFF.fullmatch(head) or "  " in head
            or _b64_text(head.replace(" ", "+").rstrip("="), strict=False) is None)


_DATA_URI = re.compile(r"\s*data:[\w.+-]*(?:/[\w.+-]*)?(?:;[\w.+-]+=[^;,\s]*)*;base64,", re.I)


def data_uri_text(value: str) -> str | None:
    """The text a whole ``data:[type][;param=…];base64,…`` value carries, or ``None``: a server that accepts a URL
    (a file include, an import, an avatar fetcher) reads the decoded bytes, so ``data:;base64,PD9waHAg…`` is
    ``<?php …`` to it. Binary payloads (images, fonts) are dropped after their first bytes, as ``sniff_base64``
    does."""
    m = _DATA_URI.match(value)
    if m is None:
        return None
    return sniff_base64(value[m.end() :].replace("\n", "").replace("\r", ""))


def _b64_text(chunk: str, *, strict: bool) -> str | None:
    """``chunk`` decoded as text without control characters; ``strict=False`` forgives a character cut
    at the end of a prefix. ``binascii.a2b_base64`` in strict mode is what ``base64.b64decode(validate=True)`` calls
    (without its Python-level argument checks). Most base64-looking values (media types, tokens, ids) decode to
    bytes that are no UTF-8: a replacing decode tells them apart without raising and catching an exception, and
    only bytes that hold a real U+FFFD are decoded again strictly."""
    try:
        raw = binascii.a2b_base64(chunk + "=" * (-len(chunk) % 4), strict_mode=True)
    except (binascii.Error, ValueError):
        return None
    if not strict:
        text = raw.decode("utf-8", "ignore")
    elif "\ufffd" not in (text := raw.decode("utf-8", "replace")):
        pass
    elif _REPLACEMENT_CHAR not in raw:
        return None
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not text or len(text.encode()) < len(raw) - 3:
        return None
    return text if text.translate(_TEXT_BREAKS).isprintable() else None


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
