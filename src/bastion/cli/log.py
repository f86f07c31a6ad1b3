"""``bastion log verify PATH|DSN``: check the audit log's hash chain and signed checkpoints.

Exit status 0 and ``OK`` when intact; 1 and the first record that was modified, deleted, inserted,
reordered or forged otherwise; 2 when the log cannot be read.
"""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    log_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
    app.add_typer(log_app, name="log")

    @log_app.command("verify")
    def verify(
        source: str = typer.Argument(..., help="sqlite:///PATH, a SQLite file path, or postgresql://…"),
        table: str = typer.Option("bastion_audit", help="Table holding the records."),
        key: Path | None = typer.Option(None, help="Pin the gateway's Ed25519 key (private or public PEM)."),
    ) -> None:
        """Verify the audit chain: OK, or the first record modified/deleted/inserted/reordered."""
        import anyio

        from bastion.errors import BastionError
        from bastion.observability.audit.record import AuditRecord
        from bastion.observability.audit.signing import load_pinned_public_key
        from bastion.observability.audit.sink import open_sink, redact_dsn
        from bastion.observability.audit.verify import verify_records

        try:
            pinned = load_pinned_public_key(key) if key is not None else None
            if "://" not in source and not Path(source).exists():
                raise BastionError(f"no such file: {source}")
            sink = open_sink(source, table)

            async def read() -> list[AuditRecord]:
                try:
                    return await sink.read_all()
                finally:
                    await sink.close()

            records = anyio.run(read)
        except Exception as exc:  # any read failure: report without echoing credentials
            typer.echo(f"error: cannot read {redact_dsn(source)}: {type(exc).__name__}: "
                       f"{redact_dsn(str(exc))}", err=True)
            raise typer.Exit(2) from None
        result = verify_records(records, pinned)
        for note in result.notes:
            typer.echo(f"note: {note}", err=True)
        if result.tamper is not None:
            typer.echo(f"FAILED {result.tamper}")
            raise typer.Exit(1)
        chains = ", ".join(f"{c}: {n} records, checkpoint #{result.last_checkpoint.get(c, '-')}"
                           for c, n in result.chains.items())
        typer.echo(f"OK {result.records} records ({chains or 'empty'})")
