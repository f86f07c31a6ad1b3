"""JUnit XML: one failing test case per finding, so CI systems list them; one passing case when clean."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from bastion.findings.model import Report
from bastion.findings.render.summary import ordered, where

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def render_junit(report: Report, base_dir: str | None = None) -> str:
    findings = ordered(report)
    suites = ET.Element("testsuites", name=report.tool, tests=str(max(len(findings), 1)),
                        failures=str(len(findings)))
    suite = ET.SubElement(suites, "testsuite", name=_clean(f"{report.tool}: {report.target}"),
                          tests=str(max(len(findings), 1)), failures=str(len(findings)),
                          errors="0", skipped="0")
    for finding in findings:
        place = where(finding, base_dir)
        name = f"{finding.location.operation} {place}" if finding.location.operation else place
        case = ET.SubElement(suite, "testcase", classname=finding.rule_id,
                             name=_clean(name or finding.rule_id))
        summary = f"[{finding.severity.label}] {finding.title}: {finding.message}"
        failure = ET.SubElement(case, "failure", type=finding.severity.label, message=_clean(summary))
        body = [finding.message, f"Location: {place}"]
        if finding.owasp:
            body.append(f"OWASP: {finding.owasp} {finding.owasp_name}")
        if finding.cwe:
            body.append(f"CWE: {finding.cwe}")
        if finding.risk:
            body.append(f"Risk: {finding.risk}")
        if finding.fix:
            body.append(f"Fix: {finding.fix}")
        failure.text = _clean("\n".join(body))
    if not findings:
        ET.SubElement(suite, "testcase", classname=report.tool, name="no findings")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
