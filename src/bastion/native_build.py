"""Build, check or remove the compiled hot path (``bastion.native``): ``python -m bastion.native_build [build
[--force] | status | clean]``. ``make native`` (run by ``make run``, ``make test`` and ``make bench``) builds it
when a listed source changed; a failed build leaves no compiled file behind, and the sources run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Sequence

from bastion.native import MANIFEST, MODULES, ROOT, build_is_fresh, digests, extensions, source


def clean() -> None:
    MANIFEST.unlink(missing_ok=True)
    for module in MODULES:
        for path in extensions(module):
            path.unlink()
    for group in ROOT.glob("*__mypyc.*"):
        group.unlink()
    shutil.rmtree(ROOT / "build", ignore_errors=True)


def build(force: bool = False) -> int:
    """Compile ``MODULES`` unless the build is already fresh; on failure leave none behind (the sources run)."""
    if not force and build_is_fresh():
        print("bastion native build: up to date")
        return 0
    clean()
    before = digests()
    cmd = [sys.executable, "-m", "mypyc", *(str(source(m).relative_to(ROOT)) for m in MODULES)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    if proc.returncode != 0 or digests() != before or not all(extensions(m) for m in MODULES):
        clean()
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-20:])
        print(f"bastion native build failed; the pure-Python sources will run (slower):\n{tail}", file=sys.stderr)
        return 1
    MANIFEST.write_text(json.dumps({"python": sys.implementation.cache_tag, "sources": before}, indent=1) + "\n")
    print(f"bastion native build: {len(MODULES)} modules compiled")
    return 0


def main(argv: Sequence[str]) -> int:
    command = argv[0] if argv else "build"
    if command == "build":
        return build(force="--force" in argv)
    if command == "clean":
        clean()
        return 0
    if command == "status":
        print("fresh" if build_is_fresh() else "stale or absent")
        return 0
    print("usage: python -m bastion.native [build [--force] | clean | status]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
