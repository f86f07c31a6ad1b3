"""The operations of one OpenAPI document, compiled once: path templates to regexes, with their rules.

``match`` finds the operation for a normalised request path and method, OpenAPI's way: concrete
paths before templated ones (``/users/me`` before ``/users/{id}``). A path the document does not
declare is a shadow endpoint (OWASP API9:2023): the caller gets 404, or 405 with ``Allow`` when the
path exists under other methods. ``HEAD`` is accepted wherever ``GET`` is declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bastion.openapi import OpenAPIDocument
from bastion.validation.body import BodyRule, compile_body
from bastion.validation.params import ParamRule, compile_param

_PARAM = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True, slots=True)
class CompiledOperation:
    method: str
    template: str
    operation_id: str | None
    params: tuple[ParamRule, ...]
    body: BodyRule | None
    locations: frozenset[str]
    """Parameter locations this operation declares (``query``, ``cookie`` ...)."""
    query_names: frozenset[str]


@dataclass(frozen=True, slots=True)
class PathEntry:
    template: str
    regex: re.Pattern[str]
    names: tuple[str, ...]
    operations: dict[str, CompiledOperation]
    allow: frozenset[str]


class OperationTable:
    def __init__(self, doc: OpenAPIDocument, base_path: str = "", reject_unknown_properties: bool = True) -> None:
        self.base_path = base_path.rstrip("/")
        grouped: dict[str, dict[str, CompiledOperation]] = {}
        for op in doc.operations():
            rules = tuple(r for p in op.parameters if (r := compile_param(doc, p)) is not None)
            body = compile_body(doc, op.request_body, reject_unknown_properties) if op.request_body else None
            grouped.setdefault(op.path, {})[op.method] = CompiledOperation(
                op.method, op.path, op.operation_id, rules, body,
                frozenset(r.location for r in rules),
                frozenset(r.name for r in rules if r.location == "query"),
            )
        entries = []
        for template, ops in grouped.items():
            methods = set(ops) | ({"HEAD"} if "GET" in ops else set())
            regex, names = _template_regex(template)
            entries.append(PathEntry(template, regex, names, ops, frozenset(methods)))
        entries.sort(key=lambda e: (len(e.names), -len(e.template)))
        self.entries = tuple(entries)

    def match(self, method: str, path: str) -> tuple[CompiledOperation | None, dict[str, str], str | None]:
        """``(operation, path params, None)``, or ``(None, {}, allow)`` (405), or ``(None, {}, None)`` (404)."""
        if self.base_path:
            if path != self.base_path and not path.startswith(self.base_path + "/"):
                return None, {}, None
            path = path[len(self.base_path):] or "/"
        allow: set[str] = set()
        for entry in self.entries:
            m = entry.regex.match(path)
            if m is None:
                continue
            op = entry.operations.get(method) or (entry.operations.get("GET") if method == "HEAD" else None)
            if op is not None:
                return op, dict(zip(entry.names, m.groups(), strict=True)), None
            allow |= entry.allow
        return None, {}, ", ".join(sorted(allow)) if allow else None


def _template_regex(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    names: list[str] = []
    parts: list[str] = []
    pos = 0
    for m in _PARAM.finditer(template):
        parts.append(re.escape(template[pos:m.start()]))
        parts.append("([^/]+)")
        names.append(m.group(1))
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("^" + "".join(parts) + "$"), tuple(names)


def server_base_path(doc: OpenAPIDocument) -> str:
    """The path part of the first ``servers`` URL (``https://api.example.com/v1`` → ``/v1``)."""
    from urllib.parse import urlsplit

    servers: list[dict[str, Any]] = doc.servers
    url = str(servers[0].get("url", "")) if servers else ""
    if "{" in url:
        return ""
    path = urlsplit(url).path if "://" in url else url
    return path.rstrip("/")
