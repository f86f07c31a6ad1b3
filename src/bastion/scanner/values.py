"""Valid example values from JSON schemas: ``example``/``default``/``enum`` first, then by type and format.

Deterministic on purpose: the same spec gives the same requests, so a scan can be reproduced.
"""

from __future__ import annotations

from typing import Any

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


def _string(schema: dict[str, Any], name: str) -> str:
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
