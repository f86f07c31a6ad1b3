"""Run the selected rules over a spec (and optionally the gateway config) and build a ``Report``.

    report = audit(doc, now=datetime.now(UTC), config=load_config("bastion.yaml"))

Rules are selected by id (``rules``/``exclude``); hygiene rules run only when asked for, by
``include_hygiene`` or by naming them. A rule that raises does not stop the audit: the error is
recorded in ``report.stats["rule_errors"]`` (the CLI shows it and exits non-zero).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime

from bastion.auditor.pii import inventory
from bastion.auditor.rules import REGISTRY, AuditContext, CertificateInfo, Hit, Rule
from bastion.findings.model import Finding, Location, Report
from bastion.openapi import OpenAPIDocument
from bastion.openapi.source import SourceFile


def select(rules: Iterable[str] | None = None, exclude: Iterable[str] | None = None, *,
           include_hygiene: bool = False, with_config: bool = False) -> list[Rule]:
    """The rules to run, in registry order; unknown ids raise ``ValueError``."""
    wanted = list(rules or [])
    excluded = set(exclude or [])
    unknown = [r for r in [*wanted, *excluded]
               if r not in REGISTRY and not any(k.startswith(r + ".") for k in REGISTRY)]
    if unknown:
        raise ValueError(f"unknown rule id(s): {', '.join(unknown)}")

    def named(rule_id: str, names: Iterable[str]) -> bool:
        return any(rule_id == n or rule_id.startswith(n + ".") for n in names)

    chosen = []
    for rule_id, rule in REGISTRY.items():
        if wanted and not named(rule_id, wanted):
            continue
        if not wanted and rule.info.hygiene and not include_hygiene:
            continue
        if named(rule_id, excluded) or (rule.info.needs_config and not with_config):
            continue
        chosen.append(rule)
    return chosen


def display_path(path: str, base_dir: str | None) -> str:
    if base_dir and "://" not in path:
        rel = os.path.relpath(path, base_dir)
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return path


def _finding(rule: Rule, hit: Hit, ctx: AuditContext, base_dir: str | None) -> Finding:
    info = rule.info
    file = pointer = None
    line = column = None
    if hit.where is not None:
        source = ctx.doc.files.get(hit.where.file) if ctx.doc else None
        if source is None and ctx.config is not None and ctx.config.name == hit.where.file:
            source = ctx.config
        file, pointer = display_path(hit.where.file, base_dir), hit.where.pointer
        if source is not None:
            line, column = source.position(hit.where.pointer)
    op = hit.operation
    location = Location(file=file, pointer=pointer, line=line, column=column,
                        method=op.method if op else None, operation=op.label if op else None)
    return Finding(info.id, info.title, hit.severity or info.severity, info.owasp, info.cwe, hit.message,
                   info.risk, info.fix, location, hygiene=info.hygiene, extra=dict(hit.extra))


def audit(doc: OpenAPIDocument, *, now: datetime, config: SourceFile | None = None,
          certificates: dict[str, CertificateInfo] | None = None, rules: Iterable[str] | None = None,
          exclude: Iterable[str] | None = None, include_hygiene: bool = False, base_dir: str | None = None,
          max_secret_age_days: int = 90) -> Report:
    ctx = AuditContext(doc=doc, now=now, config=config, certificates=certificates or {},
                       max_secret_age_days=max_secret_age_days)
    chosen = select(rules, exclude, include_hygiene=include_hygiene, with_config=config is not None)
    findings: dict[tuple[str, str | None, str], Finding] = {}
    errors: list[dict[str, str]] = []
    for rule in chosen:
        try:
            for hit in rule.check(ctx):
                finding = _finding(rule, hit, ctx, base_dir)
                findings.setdefault((finding.rule_id, finding.location.pointer, finding.message), finding)
        except Exception as exc:
            errors.append({"rule": rule.info.id, "error": type(exc).__name__})
    ops = doc.operations()
    report = Report(tool="bastion-audit", target=display_path(doc.root, base_dir), findings=list(findings.values()))
    risk = [f for f in report.findings if not f.hygiene]
    report.stats = {
        "openapi": doc.version,
        "operations": len(ops),
        "webhooks": len(doc.webhooks()),
        "rules_run": [r.info.id for r in chosen],
        "risk_findings": len(risk),
        "risk_findings_per_operation": round(len(risk) / len(ops), 2) if ops else 0.0,
        "pii_inventory": inventory(ctx),
        "rule_errors": errors,
    }
    return report
