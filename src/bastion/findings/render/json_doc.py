"""JSON: the whole report, one object per finding, with fingerprints for baselines."""

from __future__ import annotations

from typing import Any

import orjson

from bastion.findings.model import Finding, Report
from bastion.findings.render.summary import by_category, by_severity, ordered, relative


def finding_dict(finding: Finding, base_dir: str | None = None) -> dict[str, Any]:
    loc = finding.location
    location = {
        "file": relative(loc.file, base_dir),
        "pointer": loc.pointer,
        "line": loc.line,
        "column": loc.column,
        "method": loc.method,
        "url": loc.url,
        "operation": loc.operation,
    }
    out: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "title": finding.title,
        "severity": finding.severity.label,
        "owasp": finding.owasp,
        "owasp_name": finding.owasp_name,
        "cwe": finding.cwe,
        "message": finding.message,
        "risk": finding.risk,
        "fix": finding.fix,
        "location": {k: v for k, v in location.items() if v is not None},
        "fingerprint": finding.fingerprint,
        "hygiene": finding.hygiene,
        "tags": list(finding.tags),
    }
    if finding.evidence is not None:
        ev = finding.evidence
        out["evidence"] = {"request": ev.request, "response": ev.response, "curl": ev.curl, "notes": ev.notes}
    if finding.extra:
        out["extra"] = finding.extra
    return out


def render_json(report: Report, base_dir: str | None = None) -> str:
    doc = {
        "tool": report.tool,
        "version": report.version,
        "target": report.target,
        "summary": {"total": len(report.findings), "by_severity": by_severity(report),
                    "by_category": by_category(report)},
        "stats": report.stats,
        "findings": [finding_dict(f, base_dir) for f in ordered(report)],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2, default=str).decode() + "\n"
