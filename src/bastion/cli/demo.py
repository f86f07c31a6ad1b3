"""``bastion demo``: the sample shop behind the gateway with TLS and a token issuer, no setup."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        state_dir: Path = typer.Option(Path(".bastion/demo"), "--state-dir", help="Where certificates and config go."),
        port: int = typer.Option(8443, "--port"),
        admin_port: int = typer.Option(9000, "--admin-port"),
        shop_port: int = typer.Option(9443, "--shop-port"),
    ) -> None:
        """Run the demo: gateway on https://127.0.0.1:8443 in front of the bundled shop API."""
        import uvloop

        from bastion.cli.logsetup import setup_logging
        from bastion.demo.run import run_demo
        from bastion.errors import ConfigError

        setup_logging("warning")
        try:
            uvloop.run(run_demo(state_dir.resolve(), port, shop_port, admin_port))
        except ConfigError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except OSError as exc:
            typer.echo(f"error: cannot start the demo: {exc.strerror} (is port {port} or {shop_port} in use?)",
                       err=True)
            raise typer.Exit(2) from None
