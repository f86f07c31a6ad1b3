"""Findings shared by the auditor, the scanner, report-mode policies and anomaly detection."""

from bastion.findings.model import Evidence, Finding, Location, Report, Severity

__all__ = ["Evidence", "Finding", "Location", "Report", "Severity"]
