"""``bastion scan --spec SPEC --target URL``: the DAST scan of a running API (OWASP API Top 10).

The report goes to stdout (or ``-o FILE``); progress goes to stderr. Exit codes: 0 no finding at or
above ``--fail-on``; 1 there is one; 2 the spec, options or login flow are unusable; 130 interrupted
(the partial report is still written).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

FORMAT_HELP = "text, json, sarif, junit or html"
CHECK_IDS = ("auth-tokens, token-in-url, bfla, sql-injection, nosql-injection, command-injection, ssrf, redos, "
             "cors, tls, inventory, bola, user-enumeration, mass-assignment, credential-change, input-limits, "
             "rate-limit, attempt-limits, exposure, headers, conformance")


def register(app: typer.Typer) -> None:
    app.command("scan")(scan_command)


def _fail(message: str) -> None:
    typer.echo(f"bastion scan: {message}", err=True)
    raise typer.Exit(2)


def scan_command(
    spec: Path = typer.Option(..., "--spec", help="OpenAPI 3.0/3.1 document of the target"),
    target: str = typer.Option(..., "--target", help="base URL of the API to scan (the only host contacted)"),
    auth: list[str] = typer.Option([], "--auth", help="identity A's header, e.g. 'Authorization: Bearer …'"),
    auth_b: list[str] = typer.Option([], "--auth-b", help="identity B's header (a second regular user)"),
    admin_auth: list[str] = typer.Option([], "--admin-auth", help="an administrator's header"),
    login_flow: Path | None = typer.Option(None, "--login-flow", help="YAML: how identities a, b, admin log in"),
    fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    fail_on: str = typer.Option("high", "--fail-on", help="info, low, medium, high or critical"),
    max_requests: int = typer.Option(5000, "--max-requests", help="request budget for the whole scan"),
    rate: float = typer.Option(50.0, "--rate", help="maximum requests per second"),
    allow_unsafe: bool = typer.Option(False, "--allow-unsafe-methods",
                                      help="also send POST/PUT/PATCH/DELETE/TRACE (creates and changes data)"),
    checks: str | None = typer.Option(None, "--checks", help=f"only these checks (comma-separated): {CHECK_IDS}"),
    output: Path | None = typer.Option(None, "--output", "-o", help="write the report here instead of stdout"),
    insecure: bool = typer.Option(False, "--insecure", help="do not verify the target's TLS certificate"),
    seed: str | None = typer.Option(None, "--seed", help="repeat an earlier scan's values (its report's stats.seed)"),
) -> None:
    """Scan a running API for the OWASP API Security Top 10, driven by its OpenAPI spec."""
    import anyio

    from bastion.findings.model import Severity
    from bastion.findings.render import FORMATS, render
    from bastion.scanner.scan import ScanOptions, new_report, run_scan
    from bastion.scanner.terminal import progress_bar

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; expected {FORMAT_HELP}")
    try:
        threshold = Severity.parse(fail_on)
    except ValueError as exc:
        _fail(str(exc))
        return
    options = ScanOptions(spec=spec, target=target, auth=auth, auth_b=auth_b, admin_auth=admin_auth,
                          login_flow=login_flow, max_requests=max_requests, rate=rate, allow_unsafe=allow_unsafe,
                          checks=[c.strip() for c in checks.split(",") if c.strip()] if checks else None,
                          verify_tls=not insecure, seed=seed)
    report = new_report(options)
    interrupted = False
    with progress_bar(max_requests) as progress:
        try:
            anyio.run(lambda: run_scan(options, report, progress=progress))
        except KeyboardInterrupt:
            interrupted = True
            report.stats["interrupted"] = True
            typer.echo("bastion scan: interrupted; writing the partial report", err=True)
        except Exception as exc:
            if not _usage_error(exc):
                raise
            _fail(str(exc))
    for probe, error in report.stats.get("probe_errors", {}).items():
        typer.echo(f"bastion scan: check {probe} stopped early ({error}); its findings may be incomplete", err=True)
    text = render(report, fmt, base_dir=os.getcwd())
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if interrupted:
        raise typer.Exit(130)
    raise typer.Exit(1 if report.failed(threshold) else 0)


def _usage_error(exc: Exception) -> bool:
    from bastion.errors import BastionError
    from bastion.openapi import OpenAPIError

    return isinstance(exc, BastionError | OpenAPIError | ValueError | OSError)
