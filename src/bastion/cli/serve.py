"""``bastion serve -c bastion.yaml [--workers N]``."""

from __future__ import annotations

import os
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        config: Path = typer.Option(..., "-c", "--config", help="Gateway configuration file (YAML)."),
        workers: int = typer.Option(1, "--workers", "-w", help="Worker processes (0 = one per core)."),
        log_level: str = typer.Option("info", "--log-level"),
    ) -> None:
        """Run the gateway. SIGTERM drains in-flight requests; SIGHUP (or editing the file) reloads."""
        from bastion.cli.logsetup import setup_logging
        from bastion.errors import ConfigError
        from bastion.server.runner import run_server

        setup_logging(log_level)
        n = workers if workers > 0 else (os.cpu_count() or 1)
        try:
            code = run_server(config, n)
        except ConfigError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        raise typer.Exit(code)
