"""``bastion secrets set|get|list|rotate|delete|import``: the encrypted secret store from the shell.

Values are never taken as command-line arguments (they would land in shell history and ``ps``):
they come from stdin (a hidden prompt on a terminal), ``--from-file`` or ``--from-env``. Only
``get --reveal`` prints a value. The store and master key come from the ``secrets:`` section of
``-c bastion.yaml``, or from ``--store``/``--master-key`` (``BASTION_SECRETS_STORE``/``…_MASTER_KEY``).
With ``-c``, rotations (``rotate``, a ``set`` that adds a version, ``rotate --new-master-key``) are also
recorded on the tamper-evident audit log that config's ``audit:`` section names (``cli/trail.py``).
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from bastion.secrets.config import SecretsSection
    from bastion.secrets.store import SecretStore

secrets_app = typer.Typer(help="Manage the encrypted secret store.", no_args_is_help=True)

ConfigOpt = typer.Option(None, "--config", "-c", help="bastion.yaml with a secrets: section")
StoreOpt = typer.Option(None, "--store", envvar="BASTION_SECRETS_STORE", help="sqlite:PATH or postgresql://")
MasterOpt = typer.Option(None, "--master-key", envvar="BASTION_SECRETS_MASTER_KEY",
                         help="reference to the master key, e.g. ${env:BASTION_MASTER_KEY}")
ActorOpt = typer.Option(None, "--actor", help="who makes the change (default: $USER)")
FileOpt = typer.Option(None, "--from-file", help="read the value from this file")
EnvOpt = typer.Option(None, "--from-env", help="read the value from this environment variable")


def register(app: typer.Typer) -> None:
    app.add_typer(secrets_app, name="secrets")


def _section(
    config: Path | None, store: str | None, master: str | None
) -> tuple[SecretsSection, Path | None]:
    import yaml
    from pydantic import ValidationError

    from bastion.secrets.config import SecretsSection

    raw: dict[str, Any] = {}
    base_dir: Path | None = None
    if config is not None:
        doc = yaml.safe_load(config.read_text()) or {}
        raw = dict(doc.get("secrets") or {})
        base_dir = config.resolve().parent
    if store:
        raw["store"] = store
    if master:
        raw["master_key"] = master
    try:
        return SecretsSection.model_validate(raw), base_dir
    except ValidationError as exc:
        from bastion.chain.registry import format_validation_error

        typer.echo(f"error: secrets: {format_validation_error(exc)}", err=True)
        raise typer.Exit(2) from None


def _run(config: Path | None, store: str | None, master: str | None, action: Any) -> Any:
    import anyio

    from bastion.errors import BastionError
    from bastion.secrets.config import open_store

    section, base_dir = _section(config, store, master)

    async def main() -> Any:
        st = await open_store(section, base_dir=base_dir)
        try:
            return await action(st)
        finally:
            await st.backend.driver.close()

    try:
        return anyio.run(main)
    except BastionError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _read_value(from_file: Path | None, from_env: str | None) -> str:
    if from_file is not None:
        value = from_file.read_text().rstrip("\n")
    elif from_env is not None:
        value = os.environ.get(from_env, "")
    elif sys.stdin.isatty():
        value = getpass.getpass("value: ")
    else:
        value = sys.stdin.read().rstrip("\n")
    if not value:
        typer.echo("error: empty value", err=True)
        raise typer.Exit(2)
    return value


def _record(config: Path | None, emit: Any) -> None:
    from bastion.cli.trail import record

    problem = record(config, emit)
    if problem is not None:
        typer.echo(f"warning: done, but not recorded on the audit log: {problem}", err=True)


def _record_rotations(config: Path | None, metas: list[Any], actor: str) -> None:
    """A new version of an existing secret is a rotation, whichever command made it."""
    rotated = [m for m in metas if m.version > 1]
    if rotated:
        _record(config, lambda trail: [trail.secret_rotation(m.name, m.version, actor=actor) for m in rotated])


def _actor(actor: str | None) -> str:
    return actor or os.environ.get("USER") or "cli"


def _ts(value: float | None) -> str:
    return "-" if value is None else datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


@secrets_app.command("set")
def set_cmd(name: str, from_file: Path | None = FileOpt, from_env: str | None = EnvOpt,
            expires_in: str | None = typer.Option(None, help="e.g. 90d"),
            max_age: str | None = typer.Option(None, help="rotation policy: rotate at least this often"),
            warn_window: str | None = typer.Option(None, help="rotation policy: warn this long before"),
            overlap: str | None = typer.Option(None, help="keep the previous version usable this long"),
            actor: str | None = ActorOpt, config: Path | None = ConfigOpt, store: str | None = StoreOpt,
            master_key: str | None = MasterOpt) -> None:
    """Store a new version of NAME (value from stdin, --from-file or --from-env)."""
    from bastion.config.units import parse_duration
    from bastion.secrets.config import RotationPolicyConfig

    value = _read_value(from_file, from_env)
    policy = None
    if max_age or warn_window or overlap:
        raw = {"max_age": max_age, "warn_window": warn_window, "overlap": overlap}
        policy = RotationPolicyConfig.model_validate(raw).policy()
    expires = parse_duration(expires_in) if expires_in else None

    async def action(st: SecretStore) -> Any:
        return await st.set(name, value, actor=_actor(actor), expires_in=expires, policy=policy)

    meta = _run(config, store, master_key, action)
    typer.echo(f"stored {meta.name} version {meta.version}")
    _record_rotations(config, [meta], _actor(actor))


@secrets_app.command("rotate")
def rotate_cmd(name: str = typer.Argument("", help="secret to rotate (omit with --master)"),
               from_file: Path | None = FileOpt, from_env: str | None = EnvOpt,
               master: str | None = typer.Option(None, "--new-master-key",
                                                 help="re-wrap all data keys under this master-key ref"),
               actor: str | None = ActorOpt, config: Path | None = ConfigOpt, store: str | None = StoreOpt,
               master_key: str | None = MasterOpt) -> None:
    """Rotate NAME to a new value, or re-wrap all data keys under --new-master-key."""
    if master:
        from bastion.secrets.crypto import MasterKey
        from bastion.secrets.references import resolve_reference

        new = MasterKey.parse(resolve_reference(master))

        async def rewrap(st: SecretStore) -> Any:
            return await st.rotate_master(new)

        count = _run(config, store, master_key, rewrap)
        typer.echo(f"re-wrapped {count} data keys under master key {new.kid}; values were not re-encrypted")
        _record(config, lambda trail: trail.key_rotation("secrets-master", new.kid, actor=_actor(actor),
                                                         rewrapped=count))
        return
    if not name:
        typer.echo("error: give a secret NAME or --new-master-key", err=True)
        raise typer.Exit(2)
    value = _read_value(from_file, from_env)

    async def action(st: SecretStore) -> Any:
        return await st.rotate(name, value, actor=_actor(actor))

    meta = _run(config, store, master_key, action)
    typer.echo(f"rotated {meta.name} to version {meta.version}")
    _record_rotations(config, [meta], _actor(actor))


@secrets_app.command("get")
def get_cmd(name: str, version: int | None = typer.Option(None), reveal: bool = typer.Option(
            False, "--reveal", help="print the value itself to stdout"),
            config: Path | None = ConfigOpt, store: str | None = StoreOpt,
            master_key: str | None = MasterOpt) -> None:
    """Show NAME's metadata; with --reveal print its value."""

    async def action(st: SecretStore) -> Any:
        return await st.get(name, version)

    got = _run(config, store, master_key, action)
    if reveal:
        typer.echo(got.value.reveal())
        return
    m = got.meta
    typer.echo(f"{m.name} version {m.version} created {_ts(m.created_at)} by {m.rotated_by} "
               f"expires {_ts(m.expires_at)}")


@secrets_app.command("list")
def list_cmd(as_json: bool = typer.Option(False, "--json"), config: Path | None = ConfigOpt,
             store: str | None = StoreOpt, master_key: str | None = MasterOpt) -> None:
    """List secrets (current versions) with their rotation state. Never shows values."""

    async def action(st: SecretStore) -> Any:
        return await st.current(), {s.name: s for s in await st.rotation_status()}

    metas, statuses = _run(config, store, master_key, action)
    rows = [{"name": m.name, "version": m.version, "created": _ts(m.created_at), "expires": _ts(m.expires_at),
             "rotated_by": m.rotated_by, "rotation": statuses[m.name].state.value,
             "due": _ts(statuses[m.name].due_at)} for m in metas]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        typer.echo("{name:32} v{version:<4} {created} by {rotated_by:12} due {due} [{rotation}]".format(**r))


@secrets_app.command("delete")
def delete_cmd(name: str, yes: bool = typer.Option(False, "--yes", help="do not ask"),
               config: Path | None = ConfigOpt, store: str | None = StoreOpt,
               master_key: str | None = MasterOpt) -> None:
    """Delete every version of NAME."""
    if not yes and not typer.confirm(f"delete every version of {name}?"):
        raise typer.Exit(1)

    async def action(st: SecretStore) -> Any:
        return await st.delete(name)

    typer.echo(f"deleted {_run(config, store, master_key, action)} versions of {name}")


@secrets_app.command("import")
def import_cmd(path: Path, prefix: str = typer.Option("", help="prepend to every imported name"),
               actor: str | None = ActorOpt, config: Path | None = ConfigOpt,
               store: str | None = StoreOpt, master_key: str | None = MasterOpt) -> None:
    """Import NAME=value lines (dotenv) or a JSON object of name: value; each becomes a new version."""
    text = path.read_text()
    items: dict[str, str]
    if text.lstrip().startswith("{"):
        items = {str(k): str(v) for k, v in json.loads(text).items()}
    else:
        items = {}
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, _, val = line.partition("=")
                items[key.strip()] = val.strip().strip("'\"")

    async def action(st: SecretStore) -> Any:
        return [await st.set(prefix + k, v, actor=_actor(actor)) for k, v in items.items()]

    metas = _run(config, store, master_key, action)
    for meta in metas:
        typer.echo(f"imported {meta.name} version {meta.version}")
    _record_rotations(config, metas, _actor(actor))
