"""``bastion config check FILE`` and ``bastion config schema``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

config_app = typer.Typer(help="Check a configuration file or print its JSON Schema.", no_args_is_help=True)


@config_app.command("check")
def check(file: Path = typer.Argument(..., help="Gateway configuration file.")) -> None:
    """Validate FILE and print security warnings (plain HTTP, verification off, public routes)."""
    from bastion.config.compile import compile_runtime
    from bastion.config.load import load_config
    from bastion.errors import ConfigError
    from bastion.server.services import build_services

    try:
        loaded = load_config(file)
        services = build_services(loaded)
        runtime = compile_runtime(loaded, services.mapping)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    for w in runtime.warnings:
        typer.echo(f"warning: {w}", err=True)
    typer.echo(f"ok: {file}: {len(runtime.routes)} routes, {len(runtime.upstreams)} upstreams, "
               f"{len(runtime.warnings)} warnings")


@config_app.command("schema")
def schema() -> None:
    """Print the JSON Schema of the configuration file (for editors)."""
    from bastion.config.models import GatewayConfig

    typer.echo(json.dumps(GatewayConfig.model_json_schema(), indent=2))


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
