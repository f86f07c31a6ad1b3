"""``OpenAPIDocument``: a loaded OpenAPI 3.0/3.1 document set, with ``$ref`` resolution and positions."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from bastion.openapi.refs import Where, iter_refs, target
from bastion.openapi.source import OpenAPIError, SourceFile, lookup
from bastion.openapi.swagger2 import convert as convert_swagger2

if TYPE_CHECKING:
    from bastion.openapi.operations import Operation

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class OpenAPIDocument:
    """The root file and every file it references, already read and parsed.

    Build one with :func:`bastion.openapi.load_document` (reads files) or
    :meth:`from_sources` (text already in memory). Every ``$ref`` resolves (checked at construction).
    """

    def __init__(self, root: str, files: dict[str, SourceFile]) -> None:
        self.root = root
        self.files = files
        self._resolved: dict[tuple[str, str], tuple[Any, Where]] = {}
        data = files[root].data
        if not isinstance(data, dict):
            raise OpenAPIError(f"{root}: an OpenAPI document is a mapping at the top level")
        self.data: dict[str, Any] = data
        version = str(data.get("openapi", ""))
        self.source_version = version
        if "swagger" in data and not version:
            if str(data.get("swagger")) != "2.0":
                raise OpenAPIError(f"{root}: unsupported 'swagger' version {data.get('swagger')!r}; expected 2.0")
            data, pointer_map = convert_swagger2(data)
            source = files[root]
            files[root] = SourceFile(source.name, source.text, data, source.is_json, pointer_map, _tree=source._tree)
            self.source_version, version = "2.0", "3.0.3"
            self.data = data
        if not version.startswith(("3.0", "3.1")):
            raise OpenAPIError(f"{root}: unsupported 'openapi' version {version!r}; expected 3.0.x or 3.1.x")
        self.version = version
        self._check_refs()

    @classmethod
    def from_sources(cls, root: str, texts: dict[str, str]) -> OpenAPIDocument:
        """Parse ``texts`` (file name -> text); ``root`` names the entry document."""
        return cls(root, {name: SourceFile.parse(name, text) for name, text in texts.items()})

    @property
    def is_31(self) -> bool:
        return self.version.startswith("3.1")

    def _check_refs(self) -> None:
        for name, source in self.files.items():
            for pointer, ref in iter_refs(source.data):
                where = target(ref, name)
                try:
                    lookup(self.files[where.file].data, where.pointer)
                except KeyError:
                    here = self.describe(Where(name, pointer))
                    raise OpenAPIError(f"{here}: $ref {ref!r} does not resolve") from None

    def get(self, where: Where) -> Any:
        return lookup(self.files[where.file].data, where.pointer)

    def resolve(self, value: Any, where: Where) -> tuple[Any, Where]:
        """Follow ``$ref`` chains from ``value`` (found at ``where``) to a concrete value and its place.
        (Resolved targets are remembered: documents are not changed once loaded, and schema walks of big
        documents resolve the same few thousand references a million times.)"""
        if not isinstance(value, dict) or "$ref" not in value:
            return value, where
        ref = value["$ref"]
        if isinstance(ref, str):
            key = (ref, where.file)
            hit = self._resolved.get(key)
            if hit is None:
                hit = self._resolved[key] = self._follow(value, where)
            return hit
        return value, where

    def _follow(self, value: Any, where: Where) -> tuple[Any, Where]:
        seen: set[Where] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            nxt = target(value["$ref"], where.file)
            if nxt in seen:
                raise OpenAPIError(f"{self.describe(where)}: $ref cycle")
            seen.add(nxt)
            value, where = self.get(nxt), nxt
        return value, where

    def position(self, where: Where) -> tuple[int, int]:
        """1-based (line, column) of ``where`` in its source file."""
        return self.files[where.file].position(where.pointer)

    def describe(self, where: Where) -> str:
        line, column = self.position(where)
        return f"{where.file}:{line}:{column} {where.pointer or '/'}"

    def component(self, kind: str) -> dict[str, tuple[Any, Where]]:
        """Resolved ``components/<kind>`` entries (``securitySchemes``, ``schemas`` ...) of the root file."""
        section = self.data.get("components", {})
        entries = section.get(kind, {}) if isinstance(section, dict) else {}
        out: dict[str, tuple[Any, Where]] = {}
        if isinstance(entries, dict):
            for name, value in entries.items():
                out[str(name)] = self.resolve(value, Where(self.root, "/components").child(kind, str(name)))
        return out

    @property
    def servers(self) -> list[dict[str, Any]]:
        servers = self.data.get("servers", [])
        return [s for s in servers if isinstance(s, dict)] if isinstance(servers, list) else []

    def operations(self) -> list[Operation]:
        """Every operation under ``paths``, in document order (cached)."""
        return self._operations

    def webhooks(self) -> list[Operation]:
        """Every operation under the 3.1 ``webhooks`` map; ``path`` is the webhook's name."""
        return self._webhooks

    @cached_property
    def _operations(self) -> list[Operation]:
        from bastion.openapi.operations import collect

        return collect(self, "paths")

    @cached_property
    def _webhooks(self) -> list[Operation]:
        from bastion.openapi.operations import collect

        return collect(self, "webhooks")
