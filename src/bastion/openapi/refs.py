"""``$ref`` handling: where a reference points, and every reference a document contains.

Files are named by absolute path (or by URI for documents given as text); a reference is split into
the target file and a JSON pointer inside it. Resolution itself lives on ``OpenAPIDocument``, which
holds every file the loader read.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin

from bastion.openapi.source import join


@dataclass(frozen=True, slots=True)
class Where:
    """A place in the document set: a file and a JSON pointer inside it."""

    file: str
    pointer: str

    def child(self, *tokens: str | int) -> Where:
        return Where(self.file, join(self.pointer, *tokens))


def is_remote(name: str) -> bool:
    return "://" in name


def target(ref: str, base: str) -> Where:
    """The file and pointer ``ref`` names, relative to the file ``base`` it appears in."""
    path, _, fragment = ref.partition("#")
    pointer = unquote(fragment)
    if not path:
        return Where(base, pointer)
    if is_remote(path) or is_remote(base):
        return Where(urljoin(base, path), pointer)
    path = unquote(path)
    if not posixpath.isabs(path):
        path = posixpath.join(posixpath.dirname(base), path)
    return Where(posixpath.normpath(path), pointer)


def iter_refs(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every ``(pointer, $ref value)`` in ``data``, depth first, without recursion limits."""
    stack: list[tuple[Any, str]] = [(data, pointer)]
    while stack:
        node, here = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield here, ref
            for key, value in node.items():
                if isinstance(value, dict | list):
                    stack.append((value, join(here, key)))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, dict | list):
                    stack.append((value, join(here, index)))


def external_files(data: Any, base: str) -> set[str]:
    """The other files ``data`` (found in ``base``) refers to."""
    out: set[str] = set()
    for _pointer, ref in iter_refs(data):
        if not ref.startswith("#"):
            out.add(target(ref, base).file)
    return out
