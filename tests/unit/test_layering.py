"""Unit: the sans-I/O folders import no networking, server or client libraries and never read the clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "bastion"
SANS_IO = ["chain", "policies", "http", "routing", "tokens", "openapi", "detection", "redaction",
           "auditor/rules", "ratelimit/strategies.py"]
FORBIDDEN_MODULES = {"socket", "httpx", "uvicorn", "aiohttp", "requests", "ssl", "asyncio.streams"}
FORBIDDEN_CALLS = {("time", "time"), ("time", "monotonic"), ("datetime", "now"), ("datetime", "utcnow")}


def _files() -> list[Path]:
    out: list[Path] = []
    for entry in SANS_IO:
        p = SRC / entry
        if p.is_file():
            out.append(p)
        elif p.is_dir():
            out.extend(f for f in p.rglob("*.py") if f.name != "load.py")
    return out


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(SRC)))
def test_sans_io_module_has_no_io_imports(path: Path) -> None:
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert alias.name.split(".")[0] not in FORBIDDEN_MODULES, f"{path}: imports {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] not in FORBIDDEN_MODULES, f"{path}: imports {node.module}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name):
                assert (owner.id, node.func.attr) not in FORBIDDEN_CALLS, f"{path}: reads the clock"
