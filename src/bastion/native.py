"""The request hot path compiled to C with mypyc, and the guard that never lets a stale build run.

``python -m bastion.native_build`` (``make native``) compiles ``MODULES`` with mypyc (the sources stay the
pure-Python reference; the extension modules land next to them, ignored by git) and records each source's SHA-256 in
``MANIFEST``.
Python's import system prefers an extension module to a ``.py`` in the same folder, so after a build the compiled
modules load. ``bastion/__init__`` calls ``use_fresh_build()`` before any of them is imported: when there is no
manifest, when any listed source no longer matches it (edited, pulled, checked out), or when
``BASTION_PURE_PYTHON=1``, a finder placed first on ``sys.meta_path`` loads every listed module from its source.
It is all or nothing: mypyc compiles the modules as one group whose functions call each other directly in C, so a
fresh source beside stale compiled neighbours would run old code.

Why (decision 0014): the full chain on the 2 KB JSON POST spent 956,000 instructions per request, 22 % fewer
compiled. Modules that define pydantic models (the policies' configs) or async generators are not compiled.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import importlib.machinery

ROOT = Path(__file__).resolve().parent.parent
"""The folder that holds the ``bastion`` package (``src``)."""
MANIFEST = Path(__file__).resolve().parent / "native-build.json"
MODULES = (
    "bastion.server.http1",
    "bastion.proxy.engine",
    "bastion.proxy.forwarding",
    "bastion.chain.runner",
    "bastion.chain.exchange",
    "bastion.http.headers",
    "bastion.http.paths",
    "bastion.detection.fields",
    "bastion.detection.engine",
    "bastion.detection.prefilter",
    "bastion.detection.decode",
    "bastion.ratelimit.guard",
    "bastion.ratelimit.memory",
    "bastion.ratelimit.headers",
    "bastion.ratelimit.keys",
    "bastion.ratelimit.strategies",
    "bastion.validation.body",
    "bastion.policies.bearer",
)
PURE_ENV = "BASTION_PURE_PYTHON"


def source(module: str) -> Path:
    return ROOT / (module.replace(".", "/") + ".py")


def extensions(module: str) -> list[Path]:
    """The compiled files of ``module`` (any interpreter's suffix)."""
    path = source(module)
    stem = path.name[: -len(".py")]
    return [p for p in path.parent.glob(stem + ".*") if p.suffix in (".so", ".pyd")]


def digests() -> dict[str, str]:
    return {m: hashlib.sha256(source(m).read_bytes()).hexdigest() for m in MODULES}


def build_is_fresh() -> bool:
    """A manifest exists, names this interpreter, and every listed source still has the digest it was built from."""
    try:
        recorded = json.loads(MANIFEST.read_text())
        return bool(recorded.get("python") == sys.implementation.cache_tag and recorded.get("sources") == digests())
    except (OSError, ValueError, AttributeError):
        return False


class _SourceFinder:
    """Loads the listed modules from their ``.py`` files, past any compiled file beside them (a meta path finder;
    not derived from ``importlib.abc.MetaPathFinder``, whose import pulls ``importlib.resources`` into every start)."""

    def __init__(self, modules: Sequence[str]) -> None:
        self.modules = frozenset(modules)

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules:
            return None
        import importlib.util  # only here: a fresh build never needs it, and it costs a start ~15 ms

        return importlib.util.spec_from_file_location(fullname, source(fullname))


def use_fresh_build() -> bool:
    """Called once from ``bastion/__init__``: ``True`` when the compiled modules will load, else the sources are
    put first (with a warning when a compiled build exists but is stale)."""
    if os.environ.get(PURE_ENV) != "1" and build_is_fresh():
        return True
    if not any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder(MODULES))
    if os.environ.get(PURE_ENV) != "1" and any(extensions(m) for m in MODULES):
        warnings.warn("bastion's compiled modules are older than their sources; running the sources "
                      "(rebuild with `make native`)", RuntimeWarning, stacklevel=2)
    return False


def compiled() -> bool:
    """Whether the listed modules that are loaded came from compiled files."""
    loaded = [sys.modules[m] for m in MODULES if m in sys.modules]
    return bool(loaded) and all(str(getattr(m, "__file__", "")).endswith((".so", ".pyd")) for m in loaded)
