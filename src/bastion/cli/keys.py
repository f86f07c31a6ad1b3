"""``bastion keys create|list|rotate|revoke`` (API keys) and ``bastion keys rotate-signing`` (token keys).

An API key is printed once; only its HMAC-SHA256 under the server secret is stored. ``rotate-signing``
makes a new token-signing key active; the old public key stays in the JWKS until its tokens expired.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from bastion.apikeys.store import ApiKeyStore
    from bastion.oauth.services import AuthComponents

keys_app = typer.Typer(help="Manage API keys and the token-signing keys.", no_args_is_help=True)
ConfigOpt = typer.Option(Path("bastion.yaml"), "--config", "-c", envvar="BASTION_CONFIG")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")


def _store(config: Path) -> tuple[AuthComponents, ApiKeyStore]:
    from bastion.oauth.services import components_from_file

    parts = components_from_file(config)
    if parts.api_keys is None:
        typer.echo("error: set oauth.api_keys.hmac_secret to use API keys", err=True)
        raise typer.Exit(1)
    return parts, parts.api_keys


@keys_app.command("create")
def create(owner: str = typer.Option(..., help="who the key belongs to"),
           scope: list[str] = typer.Option([], "--scope", "-s"),
           expires_days: float | None = typer.Option(None, help="expiry in days (default: none)"),
           config: Path = ConfigOpt) -> None:
    """Create an API key and print it (shown once)."""
    import anyio

    async def run() -> tuple[str, str]:
        parts, store = _store(config)
        try:
            expires = time.time() + expires_days * 86400 if expires_days else None
            return await store.create(owner, set(scope), expires)
        finally:
            await parts.store.close()

    key, key_id = anyio.run(run)
    typer.echo(f"key_id: {key_id}\napi_key: {key}")
    typer.echo("Store the key now: it is not shown again.", err=True)


@keys_app.command("list")
def list_keys(config: Path = ConfigOpt) -> None:
    import anyio

    async def run() -> None:
        parts, store = _store(config)
        try:
            for r in await store.list():
                state = "revoked" if r.revoked else "active"
                expiry = time.strftime("%Y-%m-%d %H:%M", time.gmtime(r.expires_at)) if r.expires_at else "-"
                typer.echo(f"{r.key_id:14} {state:8} {r.owner:20} {expiry:17} {' '.join(sorted(r.scopes))}")
        finally:
            await parts.store.close()

    anyio.run(run)


@keys_app.command("rotate")
def rotate(key_id: str, overlap: float = typer.Option(86400.0, help="seconds the old key stays valid"),
           config: Path = ConfigOpt) -> None:
    """Replace an API key; the old one keeps working for --overlap seconds."""
    import anyio

    async def run() -> tuple[str, str]:
        parts, store = _store(config)
        try:
            return await store.rotate(key_id, overlap)
        finally:
            await parts.store.close()

    try:
        key, new_id = anyio.run(run)
    except KeyError:
        typer.echo(f"error: no active key {key_id!r}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"key_id: {new_id}\napi_key: {key}")


@keys_app.command("revoke")
def revoke(key_id: str, config: Path = ConfigOpt) -> None:
    import anyio

    async def run() -> bool:
        parts, store = _store(config)
        try:
            return await store.revoke(key_id)
        finally:
            await parts.store.close()

    if not anyio.run(run):
        typer.echo(f"error: no key {key_id!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {key_id}")


@keys_app.command("rotate-signing")
def rotate_signing(config: Path = ConfigOpt) -> None:
    """Make a new token-signing key active; the old public key stays published until its tokens expired."""
    import anyio

    from bastion.oauth.services import components_from_file

    async def run() -> list[str]:
        parts = components_from_file(config)
        try:
            await parts.keyring.rotate()
            return [f"{r.kid} {'active' if r.retired_at is None else 'retired'}"
                    for r in await parts.store.list_keys()
                    if r.remove_after is None or r.remove_after > time.time()]
        finally:
            await parts.store.close()

    for line in anyio.run(run):
        typer.echo(line)
