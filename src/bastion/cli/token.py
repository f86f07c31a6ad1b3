"""``bastion token --client ID``: print an access token for a registered client, to try the gateway.

Run by an operator with access to the authorization server's database and master key; the token is
minted exactly as the token endpoint would (RFC 9068, current signing key) and printed on stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bastion.cli.clients import run_auth

if TYPE_CHECKING:
    from bastion.oauth.services import AuthComponents


def register(app: typer.Typer) -> None:
    app.command("token")(token)


def token(
    client: str = typer.Option(..., "--client", help="client id"),
    scope: list[str] = typer.Option([], "--scope", "-s", help="narrow the scopes (default: all the client's)"),
    config: Path = typer.Option(Path("bastion.yaml"), "--config", "-c", envvar="BASTION_CONFIG"),
) -> None:
    """Print an access token for CLIENT."""

    async def run(parts: AuthComponents) -> str | None:
        from bastion.clock import SYSTEM_CLOCK
        from bastion.oauth.grants import Grants
        from bastion.tokens.revocation import MemoryRevocationList

        record = await parts.store.get_client(client)
        if record is None or record.revoked:
            return None
        wanted = set(scope) or set(record.scopes)
        if not wanted <= record.scopes:
            raise typer.BadParameter("the client may not have these scopes", param_hint="--scope")
        s = parts.section
        grants = Grants(s.issuer, parts.keyring, MemoryRevocationList(SYSTEM_CLOCK), SYSTEM_CLOCK, s.token_ttl,
                        s.audience)
        value, _ = await grants.issue(record, wanted)
        return value

    value = run_auth(config, run)
    if value is None:
        typer.echo(f"error: no active client {client!r}", err=True)
        raise typer.Exit(1)
    typer.echo(value)
