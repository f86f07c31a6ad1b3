"""Request bodies: content type enforced, JSON parsed strictly, validated against the compiled schema.

The JSON parse is the one canonical reading of the body: UTF-8 only (no BOM, no UTF-16 guessing),
duplicate keys refused (two parsers could keep different copies: CWE-436), ``NaN``/``Infinity``
refused, lone surrogate escapes refused, nesting bounded. The bytes are validated as they are and forwarded unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bastion.openapi import OpenAPIDocument, Resolved, media_schemas, to_json_schema
from bastion.validation.compiled import compile_schema
from bastion.validation.strict import harden, property_names

MAX_DEPTH = 64
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


class BodyError(ValueError):
    """The body is not acceptable JSON; the message is fixed text, never the body's content."""


@dataclass(frozen=True, slots=True)
class MediaRule:
    media_type: str
    """Lower-case ``type/subtype`` as declared (``application/json``, ``application/*``, ``*/*``)."""
    validator: Any | None
    """The compiled schema for JSON media types with a schema; None otherwise."""
    json: bool
    declared: frozenset[str] = frozenset()
    """Property names the schema declares (to tell undeclared properties from error fallout)."""


@dataclass(frozen=True, slots=True)
class BodyRule:
    required: bool
    media: tuple[MediaRule, ...]

    def select(self, content_type: str | None) -> MediaRule | None:
        """The declared media type the request's ``Content-Type`` matches, exact before wildcard."""
        if not content_type:
            return None
        mime, _, params = content_type.partition(";")
        mime = mime.strip().lower()
        if "/" not in mime:
            return None
        major = mime.split("/", 1)[0] + "/*"
        for candidates in ((mime,), (major,), ("*/*",)):
            for rule in self.media:
                if rule.media_type in candidates:
                    if rule.json or is_json(mime):
                        return rule if _utf8(params) else None
                    return rule
        return None


def compile_body(doc: OpenAPIDocument, body: Resolved, reject_unknown: bool) -> BodyRule:
    media: list[MediaRule] = []
    for media_type, schema in media_schemas(doc, body):
        mt = media_type.strip().lower()
        validator, declared = None, frozenset[str]()
        if is_json(mt):
            hardened = harden(to_json_schema(doc, schema.value, schema.where), reject_unknown)
            validator, declared = compile_schema(hardened), property_names(hardened)
        media.append(MediaRule(mt, validator, is_json(mt), declared))
    content = body.value.get("content") if isinstance(body.value, dict) else None
    for media_type in content if isinstance(content, dict) else ():
        mt = str(media_type).strip().lower()
        if all(m.media_type != mt for m in media):  # declared without a schema: type enforced only
            media.append(MediaRule(mt, None, is_json(mt)))
    required = isinstance(body.value, dict) and body.value.get("required") is True
    return BodyRule(required, tuple(media))


def is_json(mime: str) -> bool:
    return mime == "application/json" or mime.endswith("+json")


def parse_json(body: bytes) -> Any:
    """Parse ``body`` strictly, or raise ``BodyError``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError("body is not valid UTF-8") from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except BodyError:
        raise
    except (ValueError, RecursionError):
        raise BodyError("body is not valid JSON") from None
    if _depth(value) > MAX_DEPTH:
        raise BodyError(f"JSON nesting deeper than {MAX_DEPTH}")
    if _SURROGATE.search(text):  # escapes of UTF-16 halves: a lone one is read differently by each parser
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise BodyError("unpaired UTF-16 surrogate escape") from None
    return value


def _no_duplicates(pairs: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise BodyError("duplicate key in a JSON object")
    return out


def _no_constant(name: str) -> Any:
    raise BodyError("NaN and Infinity are not JSON")


def _utf8(params: str) -> bool:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


def _depth(value: Any) -> int:
    depth, level = 0, [value]
    while level:
        depth += 1
        nxt: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nxt.extend(item.values())
            elif isinstance(item, list):
                nxt.extend(item)
        level = nxt
    return depth - 1
