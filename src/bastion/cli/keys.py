"""``bastion keys create|list|rotate|revoke`` (API keys) and ``bastion keys rotate-signing`` (token keys).

An API key is printed once; only its HMAC-SHA256 under the server secret is stored. ``rotate-signing``
makes a new token-signing key active; the old public key stays in the JWKS until its tokens expired.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bastion.cli.clients import run_auth

if TYPE_CHECKING:
    from bastion.apikeys.store import ApiKeyStore
    from bastion.oauth.services import AuthComponents

keys_app = typer.Typer(help="Manage API keys and the token-signing keys.", no_args_is_help=True)
ConfigOpt = typer.Option(Path("bastion.yaml"), "--config", "-c", envvar="BASTION_CONFIG")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")


def _keys(parts: AuthComponents) -> ApiKeyStore:
    if parts.api_keys is None:
        from bastion.errors import ConfigError

        raise ConfigError("oauth.api_keys.hmac_secret", "set it to use API keys")
    return parts.api_keys


@keys_app.command("create")
def create(owner: str = typer.Option(..., help="who the key belongs to"),
           scope: list[str] = typer.Option([], "--scope", "-s"),
           expires_days: float | None = typer.Option(None, help="expiry in days (default: none)"),
           config: Path = ConfigOpt) -> None:
    """Create an API key and print it (shown once)."""
    expires = time.time() + expires_days * 86400 if expires_days else None
    key, key_id = run_auth(config, lambda parts: _keys(parts).create(owner, set(scope), expires))
    typer.echo(f"key_id: {key_id}\napi_key: {key}")
    typer.echo("Store the key now: it is not shown again.", err=True)


@keys_app.command("list")
def list_keys(config: Path = ConfigOpt) -> None:
    for r in run_auth(config, lambda parts: _keys(parts).list()):
        state = "revoked" if r.revoked else "active"
        expiry = time.strftime("%Y-%m-%d %H:%M", time.gmtime(r.expires_at)) if r.expires_at else "-"
        typer.echo(f"{r.key_id:14} {state:8} {r.owner:20} {expiry:17} {' '.join(sorted(r.scopes))}")


@keys_app.command("rotate")
def rotate(key_id: str, overlap: float = typer.Option(86400.0, help="seconds the old key stays valid"),
           config: Path = ConfigOpt) -> None:
    """Replace an API key; the old one keeps working for --overlap seconds."""
    key, new_id = run_auth(config, lambda parts: _keys(parts).rotate(key_id, overlap))
    typer.echo(f"key_id: {new_id}\napi_key: {key}")


@keys_app.command("revoke")
def revoke(key_id: str, config: Path = ConfigOpt) -> None:
    if not run_auth(config, lambda parts: _keys(parts).revoke(key_id)):
        typer.echo(f"error: no key {key_id!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {key_id}")


@keys_app.command("rotate-signing")
def rotate_signing(config: Path = ConfigOpt) -> None:
    """Make a new token-signing key active; the old public key stays published until its tokens expired."""

    async def run(parts: AuthComponents) -> list[str]:
        await parts.keyring.rotate()
        return [f"{r.kid} {'active' if r.retired_at is None else 'retired'}"
                for r in await parts.store.list_keys() if r.remove_after is None or r.remove_after > time.time()]

    for line in run_auth(config, run):
        typer.echo(line)
