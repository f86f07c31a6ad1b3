"""``bastion clients create|list|rotate|revoke``: OAuth clients of the built-in authorization server.

A client secret is printed once, at creation or rotation, and stored only as a salted HMAC.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from bastion.oauth.services import AuthComponents

T = TypeVar("T")
clients_app = typer.Typer(help="Manage OAuth clients of the built-in authorization server.", no_args_is_help=True)
ConfigOpt = typer.Option(Path("bastion.yaml"), "--config", "-c", envvar="BASTION_CONFIG",
                         help="configuration file with an oauth: section")


def register(app: typer.Typer) -> None:
    app.add_typer(clients_app, name="clients")


def run_auth(config: Path, fn: Callable[[AuthComponents], Awaitable[T]]) -> T:
    """Run a store operation; refusals and configuration errors become a one-line error and exit 1."""
    from bastion.errors import BastionError
    from bastion.oauth.clients import ClientError
    from bastion.oauth.services import run_with_components

    try:
        return run_with_components(config, fn)
    except (ClientError, BastionError, KeyError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


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
    doc = json.loads(jwks.read_text()) if jwks else None
    claims = parse_claims(claim)
    secret = run_auth(config, lambda parts: parts.registry.create(client_id, set(scope), claims=claims,
                                                                   audience=audience, jwks=doc))
    typer.echo(f"client_id:     {client_id}")
    typer.echo(f"client_secret: {secret}" if secret else "auth method:   private_key_jwt")
    if secret:
        typer.echo("Store the secret now: it is not shown again.", err=True)


@clients_app.command("list")
def list_clients(config: Path = ConfigOpt) -> None:
    for c in run_auth(config, lambda parts: parts.store.list_clients()):
        state = "revoked" if c.revoked else "active"
        method = "private_key_jwt" if c.jwks else f"secret x{len(c.secrets)}"
        typer.echo(f"{c.client_id:24} {state:8} {method:16} {' '.join(sorted(c.scopes))}")


@clients_app.command("rotate")
def rotate(client_id: str, overlap: float = typer.Option(3600.0, help="seconds the old secret stays valid"),
           config: Path = ConfigOpt) -> None:
    """Issue a new secret; the previous one keeps working for --overlap seconds."""
    typer.echo(f"client_secret: {run_auth(config, lambda parts: parts.registry.rotate(client_id, overlap))}")


@clients_app.command("revoke")
def revoke(client_id: str, config: Path = ConfigOpt) -> None:
    """Revoke a client: no new tokens, and its unexpired tokens stop within a second."""
    run_auth(config, lambda parts: parts.registry.revoke(client_id))
    typer.echo(f"revoked {client_id}")
