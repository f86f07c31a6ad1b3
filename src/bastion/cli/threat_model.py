"""``bastion threat-model SPEC [--config FILE] [-o report.html|report.md]``: a STRIDE report for design review.

Markdown goes to stdout unless ``-o`` names a file; ``.html`` gives a self-contained page with the
data-flow diagram inline, ``.md`` a Markdown file with the diagram beside it as ``<name>.svg``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("threat-model")(threat_model_command)


def threat_model_command(
    spec: Path = typer.Argument(..., help="OpenAPI 3.0/3.1 document (YAML or JSON)"),
    config: Path | None = typer.Option(None, "--config", "-c", help="bastion.yaml: mitigations it applies"),
    output: Path | None = typer.Option(None, "--output", "-o", help="report.html or report.md"),
) -> None:
    """Generate a STRIDE threat model (trust boundaries, data flows, threats, residual risks) from a spec."""
    from bastion.auditor import load_config, read_certificates
    from bastion.openapi import OpenAPIError, load_document
    from bastion.threatmodel import render_html, render_markdown, render_svg, threat_model

    try:
        doc = load_document(spec)
        settings = load_config(config) if config else None
        certs = read_certificates(settings) if settings else {}
    except (OpenAPIError, OSError) as exc:
        typer.echo(f"bastion threat-model: {exc}", err=True)
        raise typer.Exit(2) from None
    model, threats = threat_model(doc, now=datetime.now(UTC), config=settings, certificates=certs)
    svg = render_svg(model)
    if output is None:
        sys.stdout.write(render_markdown(model, threats, None))
    elif output.suffix.lower() in {".html", ".htm"}:
        output.write_text(render_html(model, threats, svg), encoding="utf-8")
    else:
        diagram = output.with_suffix(".svg")
        diagram.write_text(svg, encoding="utf-8")
        output.write_text(render_markdown(model, threats, diagram.name), encoding="utf-8")
