"""The rule contract: a ``RuleInfo`` (stable id, severity, OWASP category, CWE, risk, fix) and a check.

A check is a generator over an ``AuditContext`` yielding ``Hit``s; the engine turns each hit into a
``Finding`` with the rule's metadata and the hit's place (file, pointer, line, column, operation).
Checks group by root cause: a shared schema yields one hit, not one per operation that uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bastion.findings.model import Severity
from bastion.openapi import OpenAPIDocument, Operation, Where
from bastion.openapi.source import SourceFile


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    """A certificate the config names, as read by ``auditor/load.py``."""

    not_after: datetime | None
    error: str | None = None


@dataclass
class AuditContext:
    doc: OpenAPIDocument | None
    now: datetime
    config: SourceFile | None = None
    """The gateway config (``bastion.yaml``) as plain data with positions, when ``--config`` is given."""
    certificates: dict[str, CertificateInfo] = field(default_factory=dict)
    """Certificate files named in the config, keyed by the path as written there."""
    max_secret_age_days: int = 90
    memo: dict[Any, Any] = field(default_factory=dict)
    """Per-run cache for derived data several rules share (the PII inventory)."""

    @property
    def operations(self) -> list[Operation]:
        return self.doc.operations() if self.doc else []

    @property
    def settings(self) -> dict[str, Any]:
        data = self.config.data if self.config else None
        return data if isinstance(data, dict) else {}


@dataclass(frozen=True, slots=True)
class Hit:
    where: Where | None
    message: str
    operation: Operation | None = None
    severity: Severity | None = None
    """Overrides the rule's default severity for this hit."""
    extra: dict[str, Any] = field(default_factory=dict)


Check = Callable[[AuditContext], Iterator[Hit]]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    title: str
    severity: Severity
    owasp: str
    cwe: int | None
    risk: str
    fix: str
    hygiene: bool = False
    needs_config: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    info: RuleInfo
    check: Check


REGISTRY: dict[str, Rule] = {}


def rule(info: RuleInfo) -> Callable[[Check], Check]:
    """Register ``check`` under ``info.id`` (ids are unique and never reused)."""

    def register(check: Check) -> Check:
        if info.id in REGISTRY:
            raise ValueError(f"duplicate rule id {info.id}")
        REGISTRY[info.id] = Rule(info, check)
        return check

    return register
