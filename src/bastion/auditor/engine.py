"""Run the selected rules over a spec (and optionally the gateway config) and build a ``Report``.

    report = audit(doc, now=datetime.now(UTC), config=load_config("bastion.yaml"))

Rules are selected by id (``rules``/``exclude``); hygiene rules run only when asked for, by
``include_hygiene`` or by naming them. A rule that raises does not stop the audit: the error is
recorded in ``report.stats["rule_errors"]`` (the CLI shows it and exits non-zero).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from functools import lru_cache

from bastion.auditor.pii import inventory
from bastion.auditor.rules import REGISTRY, AuditContext, CertificateInfo, Hit, Rule
from bastion.findings.model import Finding, Location, Report
from bastion.openapi import OpenAPIDocument, Where
from bastion.openapi.source import SourceFile
from bastion.secrets.rotation import RULE_IDS as EXTERNAL_RULE_IDS


def _named(rule_id: str, names: Iterable[str]) -> bool:
    return any(rule_id == n or rule_id.startswith(n + ".") for n in names)


def select(rules: Iterable[str] | None = None, exclude: Iterable[str] | None = None, *,
           include_hygiene: bool = False, with_config: bool = False) -> list[Rule]:
    """The rules to run, in registry order; unknown ids raise ``ValueError``. The ids of findings read
    outside the rules (``EXTERNAL_RULE_IDS``) are known too."""
    wanted = list(rules or [])
    excluded = set(exclude or [])
    known = [*REGISTRY, *EXTERNAL_RULE_IDS]
    unknown = [r for r in [*wanted, *excluded] if r not in known and not any(k.startswith(r + ".") for k in known)]
    if unknown:
        raise ValueError(f"unknown rule id(s): {', '.join(unknown)}")
    chosen = []
    for rule_id, rule in REGISTRY.items():
        if wanted and not _named(rule_id, wanted):
            continue
        if not wanted and rule.info.hygiene and not include_hygiene:
            continue
        if _named(rule_id, excluded) or (rule.info.needs_config and not with_config):
            continue
        chosen.append(rule)
    return chosen


def _keep_external(findings: Iterable[Finding], rules: Iterable[str] | None,
                   exclude: Iterable[str] | None) -> list[Finding]:
    wanted, excluded = list(rules or []), list(exclude or [])
    return [f for f in findings
            if (not wanted or _named(f.rule_id, wanted)) and not _named(f.rule_id, excluded)]


@lru_cache(maxsize=256)
def display_path(path: str, base_dir: str | None) -> str:
    if base_dir and "://" not in path:
        rel = os.path.relpath(path, base_dir)
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return path


def _source(ctx: AuditContext, name: str) -> SourceFile | None:
    source = ctx.doc.files.get(name) if ctx.doc else None
    if source is None and ctx.config is not None and ctx.config.name == name:
        source = ctx.config
    return source


def _positions(ctx: AuditContext, hits: list[tuple[Rule, Hit]]) -> dict[Where, tuple[int, int]]:
    """Every hit's (line, column), one batch per source file (one scan for JSON)."""
    by_file: dict[str, set[str]] = defaultdict(set)
    for _rule, hit in hits:
        if hit.where is not None:
            by_file[hit.where.file].add(hit.where.pointer)
    out: dict[Where, tuple[int, int]] = {}
    for name, pointers in by_file.items():
        source = _source(ctx, name)
        if source is not None:
            for pointer, position in source.positions(sorted(pointers)).items():
                out[Where(name, pointer)] = position
    return out


def _finding(rule: Rule, hit: Hit, positions: dict[Where, tuple[int, int]], base_dir: str | None) -> Finding:
    info = rule.info
    file = pointer = None
    line = column = None
    if hit.where is not None:
        file, pointer = display_path(hit.where.file, base_dir), hit.where.pointer
        line, column = positions.get(hit.where, (None, None))
    op = hit.operation
    location = Location(file=file, pointer=pointer, line=line, column=column,
                        method=op.method if op else None, operation=op.label if op else None)
    return Finding(info.id, info.title, hit.severity or info.severity, info.owasp, info.cwe, hit.message,
                   info.risk, info.fix, location, hygiene=info.hygiene, extra=dict(hit.extra))


def audit(doc: OpenAPIDocument, *, now: datetime, config: SourceFile | None = None,
          certificates: dict[str, CertificateInfo] | None = None, rules: Iterable[str] | None = None,
          exclude: Iterable[str] | None = None, include_hygiene: bool = False, base_dir: str | None = None,
          max_secret_age_days: int = 90, external: Iterable[Finding] = ()) -> Report:
    """``external``: findings read at the edge rather than by a rule (the secret store's rotation state,
    ``load.read_secret_rotation``), kept as ``rules``/``exclude`` select them."""
    ctx = AuditContext(doc=doc, now=now, config=config, certificates=certificates or {},
                       max_secret_age_days=max_secret_age_days)
    chosen = select(rules, exclude, include_hygiene=include_hygiene, with_config=config is not None)
    hits: list[tuple[Rule, Hit]] = []
    errors: list[dict[str, str]] = []
    for rule in chosen:
        try:  # one broken rule must not hide the others' findings
            hits.extend((rule, hit) for hit in rule.check(ctx))
        except Exception as exc:
            errors.append({"rule": rule.info.id, "error": type(exc).__name__})
    positions = _positions(ctx, hits)
    findings: dict[str, Finding] = {}
    for rule, hit in hits:  # one finding per rule and place, so fingerprints (and baselines) stay unique
        finding = _finding(rule, hit, positions, base_dir)
        known = findings.get(finding.fingerprint)
        if known is None:
            findings[finding.fingerprint] = finding
        elif finding.message not in known.message:
            findings[finding.fingerprint] = replace(known, message=f"{known.message} {finding.message}",
                                                    severity=max(known.severity, finding.severity))
    for finding in _keep_external(external, rules, exclude):
        findings.setdefault(finding.fingerprint, finding)
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
