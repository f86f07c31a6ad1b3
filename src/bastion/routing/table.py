"""Route matching, compiled once at config load.

Most specific wins: exact static paths, then templates (more literal segments first, then more
segments), then prefixes (longest first). Within that order the first route whose host and method
also match is chosen. If some route matches the path but none the method, the answer is 405 with
``Allow``; if none matches the path, 404. Paths given to ``match`` are already normalised
(``http/paths.py``), so a template can never be reached through ``..`` or encoded slashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
_PARAM = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_]*)\}$")
DEFAULT_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class RouteSpec(Generic[T]):
    route_id: str
    target: T
    """What the caller gets back on a match (the compiled route)."""
    path: str | None = None
    prefix: str | None = None
    methods: frozenset[str] = DEFAULT_METHODS
    host: str | None = None


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    spec: RouteSpec[T]
    params: dict[str, str]
    template: str


@dataclass(frozen=True, slots=True)
class NoMatch:
    status: int
    """404 (no route for the path) or 405 (route exists, method not allowed)."""
    allow: tuple[str, ...] = ()


class _Template(Generic[T]):
    __slots__ = ("names", "regex", "score", "spec")

    def __init__(self, spec: RouteSpec[T], template: str) -> None:
        parts = template.strip("/").split("/") if template != "/" else []
        names: list[str] = []
        regex = ""
        literals = 0
        for part in parts:
            m = _PARAM.match(part)
            if m:
                if m.group(1) in names:
                    raise ValueError(f"parameter {{{m.group(1)}}} appears twice in {template!r}")
                names.append(m.group(1))
                regex += "/([^/]+)"
            elif "{" in part or "}" in part:
                raise ValueError(f"a template segment is either literal or exactly one {{param}}: {part!r}")
            else:
                literals += 1
                regex += "/" + re.escape(part)
        self.spec = spec
        self.names = names
        self.regex = re.compile((regex or "/") + ("/?" if template.endswith("/") and parts else "") + "$")
        self.score = (literals, len(parts))


def _host_ok(pattern: str | None, host: str) -> bool:
    if pattern is None:
        return True
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


class RouteTable(Generic[T]):
    def __init__(self, specs: list[RouteSpec[T]]) -> None:
        self._static: dict[str, list[RouteSpec[T]]] = {}
        templates: list[_Template[T]] = []
        prefixes: list[RouteSpec[T]] = []
        for spec in specs:
            if spec.path is not None:
                if "{" in spec.path:
                    templates.append(_Template(spec, spec.path))
                else:
                    self._static.setdefault(spec.path, []).append(spec)
            elif spec.prefix is not None:
                prefixes.append(spec)
        self._templates = sorted(templates, key=lambda t: t.score, reverse=True)
        self._prefixes = sorted(prefixes, key=lambda s: len(s.prefix or ""), reverse=True)
        self.specs = list(specs)

    def _candidates(self, path: str) -> list[tuple[RouteSpec[T], dict[str, str], str]]:
        out: list[tuple[RouteSpec[T], dict[str, str], str]] = []
        for spec in self._static.get(path, ()):
            out.append((spec, {}, spec.path or path))
        for tpl in self._templates:
            m = tpl.regex.match(path)
            if m:
                out.append((tpl.spec, dict(zip(tpl.names, m.groups(), strict=True)), tpl.spec.path or ""))
        for spec in self._prefixes:
            prefix = spec.prefix or "/"
            if path.startswith(prefix) and (
                prefix.endswith("/") or len(path) == len(prefix) or path[len(prefix)] == "/"
            ):
                out.append((spec, {}, prefix))
            elif prefix.endswith("/") and path == prefix[:-1]:
                out.append((spec, {}, prefix))
        return out

    def match(self, method: str, host: str, path: str) -> Match[T] | NoMatch:
        allow: set[str] = set()
        for spec, params, template in self._candidates(path):
            if not _host_ok(spec.host, host):
                continue
            if method in spec.methods or (method == "HEAD" and "GET" in spec.methods):
                return Match(spec, params, template)
            allow.update(spec.methods)
        if allow:
            if "GET" in allow:
                allow.add("HEAD")
            return NoMatch(405, tuple(sorted(allow)))
        return NoMatch(404)
