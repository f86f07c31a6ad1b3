"""One way to compile a JSON Schema for the request path: Draft 2020-12, formats checked, linear regexes.

Patterns run on the ``regex`` engine (no backtracking: a schema's ``pattern`` cannot be turned into a
ReDoS by a crafted value); unknown OpenAPI formats (``int64``, ``password`` ...) are ignored.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs


def compile_schema(schema: dict[str, Any]) -> Any:
    return jsonschema_rs.Draft202012Validator(
        schema, validate_formats=True, pattern_options=jsonschema_rs.RegexOptions()
    )
