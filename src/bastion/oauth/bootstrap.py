"""First-run set-up for the embedded default (``bastion demo``): a master key file and demo clients.

``ensure_master_key`` writes a random 256-bit key (base64, mode 0600) only if the file is missing.
``ensure_demo_clients`` registers the demo's clients once and keeps their secrets in
``demo-clients.json`` (mode 0600) beside the demo configuration, so the printed curl commands work on
every run. That file exists only for the demo: real deployments use ``bastion clients create``, which
shows a secret once and stores nothing but its hash.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

from bastion.clock import SYSTEM_CLOCK
from bastion.oauth.config import AuthServerSection
from bastion.oauth.services import open_components

DEMO_CLIENTS: dict[str, dict[str, Any]] = {
    "customer-1001": {"scopes": {"orders:read"}, "claims": {"customer_id": "1001"}},
    "customer-1002": {"scopes": {"orders:read"}, "claims": {"customer_id": "1002"}},
    "shop-admin": {"scopes": {"orders:read", "admin"}, "claims": {"roles": ["admin"]}},
}


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def ensure_master_key(path: Path) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_private(path, base64.b64encode(secrets.token_bytes(32)).decode() + "\n")


async def ensure_demo_clients(section: AuthServerSection, folder: Path) -> dict[str, str]:
    """``{client_id: secret}`` of the demo clients, creating any that do not exist yet."""
    secrets_file = folder / "demo-clients.json"
    known: dict[str, str] = json.loads(secrets_file.read_text()) if secrets_file.exists() else {}
    parts = open_components(section, SYSTEM_CLOCK, folder)
    try:
        for client_id, spec in DEMO_CLIENTS.items():
            if client_id in known and await parts.store.get_client(client_id) is not None:
                continue
            if await parts.store.get_client(client_id) is not None:
                known[client_id] = await parts.registry.rotate(client_id, overlap=0)
                continue
            secret = await parts.registry.create(client_id, spec["scopes"], claims=spec["claims"])
            assert secret is not None
            known[client_id] = secret
        await parts.keyring.active()
    finally:
        await parts.store.close()
    if secrets_file.exists():
        secrets_file.unlink()
    _write_private(secrets_file, json.dumps(known, indent=2) + "\n")
    return known
