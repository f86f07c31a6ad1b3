"""The demo's OAuth clients, created once in the demo state folder; secrets kept in 0600 files."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from bastion.oauth.config import AuthServerSection
from bastion.oauth.services import open_components

DEMO_CLIENTS: dict[str, tuple[set[str], dict[str, str]]] = {
    "customer-1001": ({"products:read", "customers:read", "orders:read", "orders:write"}, {"customer_id": "1001"}),
    "customer-1002": ({"products:read", "customers:read", "customers:pii", "orders:read", "orders:write"},
                      {"customer_id": "1002"}),
    "shop-admin": ({"admin"}, {}),
}


def write_private(path: Path, value: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")


def ensure_secrets(folder: Path) -> None:
    """The master key (protects signing keys) and the admin token, generated once."""
    if not (folder / "master.key").exists():
        write_private(folder / "master.key", base64.b64encode(secrets.token_bytes(32)).decode())
    if not (folder / "admin-token").exists():
        write_private(folder / "admin-token", secrets.token_urlsafe(32))


async def ensure_clients(folder: Path, issuer: str) -> dict[str, Path]:
    section = AuthServerSection(issuer=issuer, database=f"sqlite:{folder}/auth.db",
                                master_key="${file:master.key}", audience="shop-api")
    parts = open_components(section, base_dir=folder)
    out: dict[str, Path] = {}
    (folder / "clients").mkdir(mode=0o700, exist_ok=True)
    try:
        for client_id, (scopes, claims) in DEMO_CLIENTS.items():
            path = folder / "clients" / f"{client_id}.secret"
            if not path.exists():
                secret = await parts.registry.create(client_id, scopes, claims=claims)
                assert secret is not None
                write_private(path, secret)
            out[client_id] = path
    finally:
        await parts.store.close()
    return out
