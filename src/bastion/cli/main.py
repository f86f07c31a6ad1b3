"""Entry point: ``bastion``. Command groups live in sibling modules, each exposing ``register(app)``.

Modules keep heavy imports inside their command functions so ``bastion --help`` stays fast.
"""

from __future__ import annotations

import importlib
import warnings

import typer

from bastion.errors import SecurityWarning

COMMAND_MODULES = (
    "serve",
    "demo",
    "config_cmd",
    "token",
    "clients",
    "keys",
    "secrets",
    "audit",
    "threat_model",
    "scan",
    "log",
    "report",
    "replay",
)

app = typer.Typer(
    name="bastion",
    help="Bastion: a secure-by-default API gateway and API-security toolkit.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _load_commands() -> None:
    for name in COMMAND_MODULES:
        module_name = f"bastion.cli.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(app)


_load_commands()


def main() -> None:
    warnings.simplefilter("default", SecurityWarning)
    app()
