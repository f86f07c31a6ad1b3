"""Plain text for terminals and logs."""

from __future__ import annotations

import textwrap

from bastion.findings.model import Report
from bastion.findings.render.summary import by_severity, ordered, where


def _wrap(text: str) -> str:
    return textwrap.fill(text, 100, initial_indent="  ", subsequent_indent="    ")


def render_text(report: Report, base_dir: str | None = None) -> str:
    lines = [f"{report.tool} {report.version}: {report.target}"]
    for finding in ordered(report):
        loc = finding.location
        head = f"[{finding.severity.label.upper()}] {finding.rule_id}"
        tags = " ".join(x for x in (finding.owasp, f"CWE-{finding.cwe}" if finding.cwe else "") if x)
        lines.append("")
        lines.append(f"{head}  {finding.title}" + (f"  ({tags})" if tags else ""))
        pointer = f"  {loc.pointer}" if loc.file and loc.pointer else ""
        lines.append(f"  at {where(finding, base_dir)}{pointer}")
        if loc.operation:
            lines.append(f"  operation: {loc.operation}")
        lines.append(_wrap(finding.message))
        if finding.risk:
            lines.append(_wrap("Risk: " + finding.risk))
        if finding.fix:
            lines.append(_wrap("Fix: " + finding.fix))
    counts = ", ".join(f"{n} {label}" for label, n in by_severity(report).items() if n)
    lines.append("")
    lines.append(f"{len(report.findings)} finding(s)" + (f": {counts}" if counts else ""))
    return "\n".join(lines) + "\n"
