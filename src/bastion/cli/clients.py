"""``bastion clients create|list|rotate|revoke``: OAuth clients of the built-in authorization server.

A client secret is printed once, at creation or rotation, and stored only as a salted HMAC.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

clients_app = typer.Typer(help="Manage OAuth clients of the built-in authorization server.", no_args_is_help=True)
ConfigOpt = typer.Option(Path("bastion.yaml"), "--config", "-c", envvar="BASTION_CONFIG",
                         help="configuration file with an oauth: section")


def register(app: typer.Typer) -> None:
    app.add_typer(clients_app, name="clients")


def parse_claims(pairs: list[str]) -> dict[str, Any]:
    """``name=value`` pairs; a value that parses as JSON (``["c-1","c-2"]``, ``7``) keeps its type."""
    claims: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"expected name=value, got {pair!r}")
        try:
            claims[name] = json.loads(value)
        except ValueError:
            claims[name] = value
    return claims


@clients_app.command("create")
def create(
    client_id: str,
    scope: list[str] = typer.Option([], "--scope", "-s", help="a scope the client may request (repeat)"),
    claim: list[str] = typer.Option([], "--claim", help="extra token claim name=value (JSON values allowed)"),
    audience: str | None = typer.Option(None, help="aud of this client's tokens (default: oauth.audience)"),
    jwks: Path | None = typer.Option(None, help="JWKS file: authenticate with private_key_jwt, no secret"),
    config: Path = ConfigOpt,
) -> None:
    """Register a client and print its secret (shown once)."""
    import anyio

    from bastion.oauth.clients import ClientError
    from bastion.oauth.services import components_from_file

    async def run() -> str | None:
        parts = components_from_file(config)
        try:
            doc = json.loads(jwks.read_text()) if jwks else None
            return await parts.registry.create(client_id, set(scope), claims=parse_claims(claim),
                                               audience=audience, jwks=doc)
        finally:
            await parts.store.close()

    try:
        secret = anyio.run(run)
    except ClientError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"client_id:     {client_id}")
    typer.echo(f"client_secret: {secret}" if secret else "auth method:   private_key_jwt")
    if secret:
        typer.echo("Store the secret now: it is not shown again.", err=True)


@clients_app.command("list")
def list_clients(config: Path = ConfigOpt) -> None:
    import anyio

    from bastion.oauth.services import components_from_file

    async def run() -> None:
        parts = components_from_file(config)
        try:
            for c in await parts.store.list_clients():
                state = "revoked" if c.revoked else "active"
                method = "private_key_jwt" if c.jwks else f"secret x{len(c.secrets)}"
                typer.echo(f"{c.client_id:24} {state:8} {method:16} {' '.join(sorted(c.scopes))}")
        finally:
            await parts.store.close()

    anyio.run(run)


@clients_app.command("rotate")
def rotate(client_id: str, overlap: float = typer.Option(3600.0, help="seconds the old secret stays valid"),
           config: Path = ConfigOpt) -> None:
    """Issue a new secret; the previous one keeps working for --overlap seconds."""
    import anyio

    from bastion.oauth.clients import ClientError
    from bastion.oauth.services import components_from_file

    async def run() -> str:
        parts = components_from_file(config)
        try:
            return await parts.registry.rotate(client_id, overlap)
        finally:
            await parts.store.close()

    try:
        typer.echo(f"client_secret: {anyio.run(run)}")
    except ClientError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


@clients_app.command("revoke")
def revoke(client_id: str, config: Path = ConfigOpt) -> None:
    import anyio

    from bastion.oauth.clients import ClientError
    from bastion.oauth.services import components_from_file

    async def run() -> None:
        parts = components_from_file(config)
        try:
            await parts.registry.revoke(client_id)
        finally:
            await parts.store.close()

    try:
        anyio.run(run)
    except ClientError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"revoked {client_id}")
