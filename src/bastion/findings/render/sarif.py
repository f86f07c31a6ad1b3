"""SARIF 2.1.0, as GitHub code scanning expects it.

Each distinct ``rule_id`` becomes a ``reportingDescriptor`` with the OWASP category and CWE as tags and
a numeric ``security-severity``; each finding becomes a ``result`` with a repository-relative
``physicalLocation`` (or the URL for findings that have no file) and a ``partialFingerprints`` entry,
so code scanning tracks findings across runs.
"""

from __future__ import annotations

from typing import Any

import orjson

from bastion.findings.model import Finding, Report, Severity
from bastion.findings.render.summary import ordered, relative

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/bastion-gateway/bastion"
LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note", Severity.INFO: "note"}
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                     Severity.LOW: "3.0", Severity.INFO: "0.5"}


def _tags(finding: Finding) -> list[str]:
    tags = ["security", *finding.tags]
    if finding.owasp:
        tags.append(f"OWASP-{finding.owasp}")
    if finding.cwe:
        tags.append(f"external/cwe/cwe-{finding.cwe}")
    if finding.hygiene:
        tags.append("hygiene")
    return list(dict.fromkeys(tags))


def _rule(finding: Finding) -> dict[str, Any]:
    name = "".join(part.capitalize() for part in finding.rule_id.replace(".", "-").split("-") if part)
    help_text = finding.fix or finding.title
    return {
        "id": finding.rule_id,
        "name": name,
        "shortDescription": {"text": finding.title},
        "fullDescription": {"text": finding.risk or finding.title},
        "help": {"text": help_text, "markdown": f"**Risk.** {finding.risk}\n\n**Fix.** {help_text}"},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": {"tags": _tags(finding), "security-severity": SECURITY_SEVERITY[finding.severity],
                       "precision": "high"},
    }


def _location(finding: Finding, base_dir: str | None) -> dict[str, Any]:
    loc = finding.location
    out: dict[str, Any] = {}
    uri = relative(loc.file, base_dir) if loc.file else loc.url
    if uri:
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        if loc.file:
            physical["region"] = {"startLine": max(loc.line or 1, 1), "startColumn": max(loc.column or 1, 1)}
        out["physicalLocation"] = physical
    logical = loc.pointer or loc.operation
    if logical:
        kind = "member" if loc.pointer else "function"
        out["logicalLocations"] = [{"fullyQualifiedName": logical, "kind": kind}]
    return out


def render_sarif(report: Report, base_dir: str | None = None) -> str:
    findings = ordered(report)
    rules: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for finding in findings:
        if finding.rule_id not in rules:
            rules[finding.rule_id] = len(descriptors)
            descriptors.append(_rule(finding))
        result: dict[str, Any] = {
            "ruleId": finding.rule_id,
            "ruleIndex": rules[finding.rule_id],
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "partialFingerprints": {"bastionFingerprint/v1": finding.fingerprint},
            "properties": {"severity": finding.severity.label, "owasp": finding.owasp, "cwe": finding.cwe},
        }
        location = _location(finding, base_dir)
        if location:
            result["locations"] = [location]
        results.append(result)
    run = {
        "tool": {"driver": {"name": report.tool, "version": report.version, "semanticVersion": report.version,
                            "informationUri": INFORMATION_URI, "rules": descriptors}},
        "automationDetails": {"id": f"{report.tool}/"},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2, default=str).decode() + "\n"
