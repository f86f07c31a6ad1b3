"""``bastion report data-flows``: the GDPR Article 30-style record of personal data that left
through the gateway (recipients, categories of personal data, operations, counts; never values).

The store is found from ``--db``, else from the ``dataflow.store`` of ``--config``, else the default
``.bastion/dataflow.db`` in the current directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def _store_path(db: Path | None, config: Path | None) -> Path:
    from bastion.dataflow.config import DEFAULT_STORE, DataFlowSection

    if db is not None:
        return db
    if config is not None:
        import yaml

        raw: Any = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        section = DataFlowSection.model_validate((raw.get("dataflow") if isinstance(raw, dict) else None) or {})
        return section.path(config.resolve().parent)
    return DataFlowSection(store=DEFAULT_STORE).path(Path.cwd())


def register(app: typer.Typer) -> None:
    report_app = typer.Typer(help="Reports from what the gateway recorded.", no_args_is_help=True)
    app.add_typer(report_app, name="report")

    @report_app.command("data-flows")
    def data_flows(
        fmt: str = typer.Option("table", "--format", "-f", help="table, json or html."),
        db: Path | None = typer.Option(None, "--db", help="The data-flow SQLite file."),
        config: Path | None = typer.Option(None, "--config", "-c", help="Read dataflow.store from this config."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to a file instead of stdout."),
    ) -> None:
        """Which recipients received which categories of personal data, through which operations, how often."""
        import orjson

        from bastion.dataflow.article30 import build_record, to_html, to_json
        from bastion.dataflow.store import SqliteFlowStore

        if fmt not in ("table", "json", "html"):
            typer.echo("error: --format must be table, json or html", err=True)
            raise typer.Exit(2)
        try:
            path = _store_path(db, config)
            records = build_record(SqliteFlowStore(path).rows())
        except Exception as exc:
            typer.echo(f"error: cannot read the data-flow inventory: {type(exc).__name__}", err=True)
            raise typer.Exit(2) from None
        if fmt == "json":
            text = orjson.dumps(to_json(records), option=orjson.OPT_INDENT_2).decode()
        elif fmt == "html":
            text = to_html(records)
        else:
            text = _table(records)
        if output is not None:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            typer.echo(text)


def _table(records: list[Any]) -> str:
    import io

    from rich.console import Console
    from rich.table import Table

    table = Table(title="Personal data disclosed through the gateway (GDPR Art. 30 record)")
    for col in ("recipient", "kind", "category of personal data", "messages", "values", "operations"):
        table.add_column(col)
    for r in records:
        flows = sorted(r.categories.values(), key=lambda c: c.category)
        if not flows:
            table.add_row(r.recipient, r.kind, "(none detected)", str(r.messages), "0",
                          "\n".join(sorted(r.operations)))
        for c in flows:
            table.add_row(r.recipient, r.kind, c.label, str(c.messages), str(c.items), "\n".join(sorted(c.operations)))
    buffer = io.StringIO()
    console = Console(width=160, file=buffer, color_system=None)
    console.print(table if records else "No data flows recorded.")
    return buffer.getvalue().rstrip("\n")
