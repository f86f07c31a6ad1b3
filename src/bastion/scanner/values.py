"""Valid example values from JSON schemas: ``example``/``default``/``enum`` first, then by type and format.

Deterministic on purpose: the same spec gives the same requests, so a scan can be reproduced. A create
request's values are made unique with ``unique_values`` and a tag derived from the identity and the
scan's recorded seed (titles and user names are often unique keys: B's create must not collide with A's).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from bastion.redaction.fieldnames import secret_field

FORMAT_EXAMPLES = {
    "email": "scanner@example.com",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "uuid": "00000000-0000-4000-8000-000000000001",
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "password": "Scanner-pass-1",
    "ipv4": "192.0.2.1",
    "hostname": "example.com",
}
URLISH = ("url", "uri", "link", "href", "callback", "webhook", "image", "avatar", "icon", "logo", "feed",
          "endpoint", "redirect", "target", "dest", "source", "src")


def example_for(schema: dict[str, Any], name: str = "", depth: int = 0) -> Any:
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for combinator in ("allOf", "oneOf", "anyOf"):
        options = schema.get(combinator)
        if isinstance(options, list) and options:
            if combinator == "allOf":
                merged: dict[str, Any] = {}
                for part in options:
                    merged.update(example_for(part, name, depth + 1) or {})
                return merged
            return example_for(options[0], name, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object" or "properties" in schema:
        if depth > 5:
            return {}
        props = schema.get("properties") or {}
        return {k: example_for(v, k, depth + 1) for k, v in props.items()
                if isinstance(v, dict) and not v.get("readOnly")}
    if kind == "array":
        items = schema.get("items")
        return [example_for(items, name, depth + 1)] if isinstance(items, dict) and depth < 5 else []
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    return _string(schema, name)


LITERAL_PATTERN = re.compile(r"\^?([A-Za-z0-9_.-]+)\$?")


def _string(schema: dict[str, Any], name: str) -> str:
    literal = LITERAL_PATTERN.fullmatch(str(schema.get("pattern", "")))
    if literal:  # a pattern without metacharacters admits one word (``grant_type``: ``password``)
        return literal.group(1)
    fmt = str(schema.get("format", ""))
    if fmt in FORMAT_EXAMPLES:
        return FORMAT_EXAMPLES[fmt]
    lowered = name.lower()
    if "email" in lowered:
        return FORMAT_EXAMPLES["email"]
    if any(w in lowered for w in URLISH):
        return FORMAT_EXAMPLES["url"]
    minimum = int(schema.get("minLength", 0))
    base = "scan" + (name or "value")
    return (base * (minimum // len(base) + 1))[: max(minimum, len(base))][: int(schema.get("maxLength", 64))]


def is_urlish(name: str, schema: dict[str, Any]) -> bool:
    fmt = str(schema.get("format", ""))
    return fmt in ("uri", "url", "iri") or any(w in name.lower() for w in URLISH)


def string_properties(schema: dict[str, Any] | None) -> list[str]:
    """Top-level string properties of an object schema (where payloads can go)."""
    if not schema:
        return []
    props = schema.get("properties") or {}
    return [k for k, v in props.items() if isinstance(v, dict) and v.get("type", "string") == "string"
            and not v.get("readOnly") and "enum" not in v]


def tag_for(seed: str, identity: str) -> str:
    """Six hex digits from the scan's seed and the identity's name: the same pair, the same tag."""
    return hashlib.sha256(f"{seed}/{identity}".encode()).hexdigest()[:6]


def plausibly_unique(name: str, schema: dict[str, Any]) -> bool:
    """A free-text string field that may be a unique key (a title, a user name, an email address).

    Enumerations, constants and formats with a fixed meaning (dates, URIs, UUIDs...) keep their value,
    and so do secrets, URLs and references to other objects (``id``, ``owner_id``, ``userId``).
    """
    if "enum" in schema or "const" in schema or secret_field(name) or is_urlish(name, schema):
        return False
    if schema.get("format") not in (None, "email", "idn-email"):
        return False
    lowered = name.lower()
    return lowered not in ("id", "uuid") and not lowered.endswith(("_id", "_uuid", "-id")) \
        and not (name.endswith("Id") and len(name) > 2)


def unique_variant(value: str, name: str, schema: dict[str, Any], tag: str) -> str:
    """``value`` with ``tag`` added, still within ``maxLength``/``minLength`` and matching ``pattern``;
    ``value`` itself when no variant fits. An email address gets the tag in its local part."""
    letters = tag.translate(str.maketrans("0123456789", "ghijklmnop"))  # for patterns without digits
    head, domain = value, ""
    if "@" in value and ("email" in name.lower() or "email" in str(schema.get("format", ""))):
        head, domain = value.split("@", 1)
        domain = "@" + domain
    limit = schema.get("maxLength")
    for tail in ("-" + tag, tag, letters):
        keep = len(head) if not isinstance(limit, int) else max(0, limit - len(tail) - len(domain))
        option = head[:keep] + tail + domain
        if _fits(option, schema):
            return option
    return value


def _fits(text: str, schema: dict[str, Any]) -> bool:
    limit, least = schema.get("maxLength"), schema.get("minLength", 0)
    if (isinstance(limit, int) and len(text) > limit) or (isinstance(least, int) and len(text) < least):
        return False
    pattern = schema.get("pattern")
    if not isinstance(pattern, str):
        return True
    try:
        return re.search(pattern, text) is not None
    except re.error:  # an ECMA-only construct: no variant can be shown to match
        return False


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    props = dict(schema.get("properties") or {})
    for combinator in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(combinator) or []:
            if isinstance(part, dict):
                for key, value in _properties(part).items():
                    props.setdefault(key, value)
            if combinator != "allOf":
                break  # example_for took the first option
    return props


def unique_values(value: Any, schema: dict[str, Any], tag: str, name: str = "", depth: int = 0) -> Any:
    """``value`` (an example built from ``schema``) with each plausibly unique string made unique."""
    if depth > 6:
        return value
    if isinstance(value, dict):
        props = _properties(schema)
        return {k: unique_values(v, props[k] if isinstance(props.get(k), dict) else {}, tag, k, depth + 1)
                for k, v in value.items()}
    if isinstance(value, list):
        items = schema.get("items")
        return [unique_values(v, items if isinstance(items, dict) else {}, tag, name, depth + 1) for v in value]
    if isinstance(value, str) and value and plausibly_unique(name, schema):
        return unique_variant(value, name, schema, tag)
    return value
