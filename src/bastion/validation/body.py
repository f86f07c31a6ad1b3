"""Request bodies: content type enforced, JSON parsed strictly, validated against the compiled schema.

The JSON parse is the one canonical reading of the body: UTF-8 only (no BOM, no UTF-16 guessing),
duplicate keys refused (two parsers could keep different copies: CWE-436), ``NaN``/``Infinity``,
lone surrogate escapes and integers beyond 2**53 refused, nesting bounded. The bytes are
validated as they are and forwarded unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from bastion.openapi import OpenAPIDocument, Resolved, media_schemas, to_json_schema
from bastion.validation.compiled import compile_schema
from bastion.validation.form import FORM, FormShape, form_shape
from bastion.validation.messages import BodyError
from bastion.validation.strict import harden, property_names

MAX_DEPTH = 64
_EXACT = 2**53
"""Integers at or above 2**53 are not exact as doubles: parsers would disagree on their value."""
_LONG_INT = re.compile(rb"(?<![.\deE+-])-?\d{16,}(?![.\deE])")
_OPEN = frozenset(b"[{")
_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_SIXTEEN_DIGITS = b"0" * 16
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_NOT_SIGNS = bytes(c for c in range(256) if c not in b":[{0123456789")


@dataclass(frozen=True, slots=True)
class MediaRule:
    media_type: str
    """Lower-case ``type/subtype`` as declared (``application/json``, ``application/*``, ``*/*``)."""
    validator: Any | None
    """The compiled schema for JSON (or wildcard) media types with a schema; None otherwise."""
    declared: frozenset[str] = frozenset()
    """Property names the schema declares (to tell undeclared properties from error fallout)."""
    form: FormShape | None = None
    """For ``application/x-www-form-urlencoded`` with a schema: how to convert its fields."""


@dataclass(frozen=True, slots=True)
class BodyRule:
    required: bool
    media: tuple[MediaRule, ...]

    def select(self, content_type: str | None) -> tuple[MediaRule | None, bool]:
        """The declared media type the request's ``Content-Type`` matches (exact before wildcard),
        and whether the request's own type is JSON (then the body is parsed and validated)."""
        rule, mime = self._select(content_type)
        return rule, rule is not None and is_json(mime)

    def _select(self, content_type: str | None) -> tuple[MediaRule | None, str]:
        if not content_type:
            return None, ""
        mime, _, params = content_type.partition(";")
        mime = mime.strip().lower()
        if "/" not in mime:
            return None, mime
        major = mime.split("/", 1)[0] + "/*"
        for candidate in (mime, major, "*/*"):
            for rule in self.media:
                if rule.media_type == candidate:
                    if is_json(mime) and not _utf8(params):
                        return None, mime
                    return rule, mime
        return None, mime


def compile_body(doc: OpenAPIDocument, body: Resolved, reject_unknown: bool) -> BodyRule:
    media: list[MediaRule] = []
    for media_type, schema in media_schemas(doc, body):
        mt = media_type.strip().lower()
        validator, declared, form = None, frozenset[str](), None
        if is_json(mt) or mt.endswith("/*") or mt == FORM:  # a wildcard type may well be sent as JSON
            hardened = harden(to_json_schema(doc, schema.value, schema.where), reject_unknown)
            validator, declared = compile_schema(hardened), property_names(hardened)
            form = form_shape(hardened) if mt == FORM else None
        media.append(MediaRule(mt, validator, declared, form))
    content = body.value.get("content") if isinstance(body.value, dict) else None
    for media_type in content if isinstance(content, dict) else ():
        mt = str(media_type).strip().lower()
        if all(m.media_type != mt for m in media):  # declared without a schema: type enforced only
            media.append(MediaRule(mt, None))
    required = isinstance(body.value, dict) and body.value.get("required") is True
    return BodyRule(required, tuple(media))


def is_json(mime: str) -> bool:
    return mime == "application/json" or mime.endswith("+json")


def parse_json(body: bytes) -> Any:
    """Parse ``body`` strictly, or raise ``BodyError``.

    orjson does the parse (UTF-8 only, no BOM, no NaN/Infinity, no lone surrogates). It keeps the
    last of duplicate keys silently, so duplicates are found by counting: in valid JSON every ``:``
    outside strings separates a key from its value, so the body holds a duplicate exactly when it has
    more such colons than the parsed document re-serialised. Without ``\\u`` escapes the colons inside
    strings are the same in both texts, so plain counts compare (the fast path); otherwise strings
    are cut out first. Depth and long integers are looked at only when cheap counts say they may matter.

    The counts are taken on ``_signs(body)``: one C pass keeps only colons, opening brackets and digits, so the
    rest of the body (long strings, mostly) is read once, not once per count (four passes over the body and a
    translated copy were 60 % of the policy's instructions on the bench's 2 KB POST). A body that is exactly its
    re-serialisation (compact JSON, as most clients send it) has as many colons as it: no duplicate, found at
    ``memcmp`` speed.
    """
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise BodyError("body is not valid JSON") from None
    try:
        again = orjson.dumps(value)
    except orjson.JSONEncodeError:  # orjson reads 1,024 levels but writes 254: the document is far too deep
        raise BodyError(f"JSON nesting deeper than {MAX_DEPTH}") from None
    signs = _signs(body)
    if again == body:
        duplicated = False
    elif b"\\u" in body:
        duplicated = _skeleton(body).count(b":") != _skeleton(again).count(b":")
    else:
        duplicated = signs.count(b":") != again.count(b":")
    if duplicated:
        raise BodyError("duplicate key in a JSON object")
    if signs.count(b"[") + signs.count(b"{") > MAX_DEPTH and _depth(_skeleton(body)) > MAX_DEPTH:
        raise BodyError(f"JSON nesting deeper than {MAX_DEPTH}")
    if signs.translate(_DIGITS).find(_SIXTEEN_DIGITS) != -1 and _SIXTEEN_DIGITS in body.translate(_DIGITS) and any(
        abs(int(m)) >= _EXACT for m in _LONG_INT.findall(_skeleton(body))
    ):
        raise BodyError("integer too large to be read the same by every parser")
    return value


def nested_deeper(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON text ``body`` nests more than ``limit`` arrays and objects (brackets inside strings do not
    count). Two C counts decide most bodies; only one with more opening brackets than ``limit`` is walked. For a
    policy that parses a body and writes it again: orjson reads 1,024 levels but refuses to write more than 254."""
    return body.count(b"[") + body.count(b"{") > limit and _depth(_skeleton(body)) > limit


def _signs(body: bytes) -> bytes:
    """``body`` with every byte deleted but ``:``, ``[``, ``{`` and digits: each of those occurs as often as in the
    body. A run of 16 digits in the body is one here too; deleting can join shorter runs, so a run here is only a
    hint, which the body itself then confirms."""
    return body.translate(None, _NOT_SIGNS)


def _skeleton(text: bytes) -> bytes:
    """The JSON text outside strings. Escaped backslashes go first, then escaped quotes; what is left
    between the remaining quotes is string content."""
    if b"\\" in text:
        text = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    return b"".join(text.split(b'"')[::2])


def _depth(skeleton: bytes) -> int:
    brackets = skeleton.translate(None, _NOT_BRACKETS)
    if len(brackets) <= 2 * MAX_DEPTH:
        return len(brackets) // 2  # an upper bound, and within the limit
    depth = deepest = 0
    for c in brackets:
        if c in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _utf8(params: str) -> bool:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True

