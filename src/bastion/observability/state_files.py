"""Files a gateway creates on first use in its state directory (the admin token, the audit signing key).

Workers of ``bastion serve --workers N`` start at the same moment and each may find the file missing.
``create_once`` writes the content whole under a private name and links it into place: the first link
wins, the others read what it wrote, and nobody ever reads a half-written file. (An ``O_EXCL`` create of
the final name alone lost the race: the second worker failed to start.)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def create_once(path: Path, content: bytes) -> bytes:
    """``path``'s content: ``content``, written there (mode 0600) unless another process did first."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return path.read_bytes()
    finally:
        tmp.unlink(missing_ok=True)
    return content
