"""``bastion audit SPEC``: the OWASP API Top 10 design-time audit of an OpenAPI spec (and, with
``--config``, of the gateway configuration serving it, including overdue or soon-due secrets in the
secret store its ``secrets:`` section names: names and dates only, read without the master key).

Exit codes: 0 no finding at or above ``--fail-on``; 1 there is one; 2 the spec, config or options are
unusable, or a rule failed. ``--baseline`` takes an earlier ``--format json`` report (or a JSON list of
fingerprints) and suppresses the findings recorded in it, so CI fails only on new ones.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

FORMAT_HELP = "text, json, sarif, junit or html"


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_command)


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def baseline_fingerprints(path: Path) -> set[str]:
    """Fingerprints from a previous JSON report, or from a JSON list of fingerprints."""
    data: Any = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = [f.get("fingerprint") for f in data.get("findings", []) if isinstance(f, dict)]
    if not isinstance(data, list):
        raise ValueError("a baseline is a JSON report or a list of fingerprints")
    return {str(f) for f in data if f}


def pii_inventory(rows: list[dict[str, Any]], fmt: str) -> str:
    """Which operations send and return which personal-data categories."""
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    width = max((len(r["operation"]) for r in rows), default=9)
    lines = [f"{'operation':{width}}  sends / returns"]
    for row in rows:
        sends, returns = ", ".join(row["sends"]) or "-", ", ".join(row["returns"]) or "-"
        lines.append(f"{row['operation']:{width}}  {sends} / {returns}")
    return "\n".join(lines) + "\n"


def _fail(message: str) -> None:
    typer.echo(f"bastion audit: {message}", err=True)
    raise typer.Exit(2)


def audit_command(
    spec: Path = typer.Argument(..., help="OpenAPI 3.0/3.1 document (YAML or JSON)"),
    config: Path | None = typer.Option(None, "--config", "-c", help="bastion.yaml to audit with the spec"),
    fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    fail_on: str = typer.Option("high", "--fail-on", help="info, low, medium, high or critical"),
    baseline: Path | None = typer.Option(None, "--baseline", help="suppress findings recorded in this report"),
    rules: str | None = typer.Option(None, "--rules", help="only these rule ids or families (comma-separated)"),
    exclude: str | None = typer.Option(None, "--exclude", help="skip these rule ids or families"),
    hygiene: bool = typer.Option(False, "--hygiene", help="also run the hygiene (documentation) rules"),
    max_secret_age: int = typer.Option(90, "--max-secret-age", help="days before keys/secrets count as stale"),
    pii: bool = typer.Option(False, "--pii", help="print the PII inventory (text or json) instead of findings"),
    output: Path | None = typer.Option(None, "--output", "-o", help="write the report here instead of stdout"),
) -> None:
    """Audit an OpenAPI spec (and optionally the gateway config) against the OWASP API Security Top 10."""
    from bastion.auditor import audit, load_config, read_certificates, read_secret_rotation
    from bastion.findings.model import Severity
    from bastion.findings.render import FORMATS, render
    from bastion.openapi import OpenAPIError, load_document

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; expected {FORMAT_HELP}")
    try:
        threshold = Severity.parse(fail_on)
        doc = load_document(spec)
        settings = load_config(config) if config else None
        certs = read_certificates(settings) if settings else {}
        known = baseline_fingerprints(baseline) if baseline else set()
        now = datetime.now(UTC)
        rotation = read_secret_rotation(settings, now) if settings else []
        report = audit(doc, now=now, config=settings, certificates=certs, rules=_split(rules),
                       exclude=_split(exclude), include_hygiene=hygiene, base_dir=os.getcwd(),
                       max_secret_age_days=max_secret_age, external=rotation)
    except (OpenAPIError, ValueError, OSError) as exc:
        _fail(str(exc))
        return
    if known:
        kept = [f for f in report.findings if f.fingerprint not in known]
        report.stats["suppressed_by_baseline"] = len(report.findings) - len(kept)
        report.findings = kept
    text = pii_inventory(report.stats["pii_inventory"], fmt) if pii else render(report, fmt, base_dir=os.getcwd())
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    for error in report.stats.get("rule_errors", []):
        typer.echo(f"bastion audit: rule {error['rule']} failed ({error['error']})", err=True)
    if report.stats.get("rule_errors"):
        raise typer.Exit(2)
    raise typer.Exit(1 if report.failed(threshold) else 0)
