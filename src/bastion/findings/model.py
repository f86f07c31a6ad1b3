"""The findings model: one vocabulary for every tool that reports a security problem.

A Finding carries a stable kebab-case ``rule_id`` (``auth.missing-security``), a severity, its
OWASP API Security Top 10 (2023) category and CWE, where it was found, what the risk is and how to
fix it. ``fingerprint`` is stable across runs for the same rule at the same place, so baselines
can suppress findings already known.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            allowed = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {value!r}; expected one of {allowed}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


OWASP_API_2023 = {
    "API1:2023": "Broken Object Level Authorization",
    "API2:2023": "Broken Authentication",
    "API3:2023": "Broken Object Property Level Authorization",
    "API4:2023": "Unrestricted Resource Consumption",
    "API5:2023": "Broken Function Level Authorization",
    "API6:2023": "Unrestricted Access to Sensitive Business Flows",
    "API7:2023": "Server Side Request Forgery",
    "API8:2023": "Security Misconfiguration",
    "API9:2023": "Improper Inventory Management",
    "API10:2023": "Unsafe Consumption of APIs",
}


@dataclass(frozen=True, slots=True)
class Location:
    """Where: a spec position (file, JSON pointer, line, column) or an HTTP operation (method, url)."""

    file: str | None = None
    pointer: str | None = None
    line: int | None = None
    column: int | None = None
    method: str | None = None
    url: str | None = None
    operation: str | None = None
    """``GET /orders/{id}`` or an operationId, when the finding belongs to one operation."""

    def describe(self) -> str:
        if self.file:
            pos = f":{self.line}:{self.column}" if self.line else ""
            return f"{self.file}{pos} {self.pointer or ''}".strip()
        if self.method or self.url:
            return f"{self.method or ''} {self.url or ''}".strip()
        return self.operation or self.pointer or ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Redacted request/response excerpts that show the finding is real."""

    request: str = ""
    response: str = ""
    curl: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    title: str
    severity: Severity
    owasp: str
    """An OWASP API 2023 id such as ``API1:2023`` (or ``""`` for pure hygiene)."""
    cwe: int | None
    message: str
    """What was found, here, in one sentence."""
    risk: str = ""
    """One paragraph: why it matters."""
    fix: str = ""
    """A concrete fix."""
    location: Location = field(default_factory=Location)
    evidence: Evidence | None = None
    hygiene: bool = False
    """Hygiene findings (style, documentation) are separated from risk findings and off by default."""
    tags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def fingerprint(self) -> str:
        loc = self.location
        key = "|".join(
            [self.rule_id, loc.file or "", loc.pointer or "", loc.method or "", loc.url or "", loc.operation or ""]
        )
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    @property
    def owasp_name(self) -> str:
        return OWASP_API_2023.get(self.owasp, "")


@dataclass(slots=True)
class Report:
    tool: str
    """``bastion-audit`` or ``bastion-scan``."""
    target: str
    findings: list[Finding] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    version: str = "0.1.0"

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def failed(self, threshold: Severity) -> bool:
        worst = self.worst()
        return worst is not None and worst >= threshold
