"""Counts and ordering shared by the renderers."""

from __future__ import annotations

import posixpath
from collections import Counter
from functools import lru_cache
from pathlib import PurePath

from bastion.findings.model import OWASP_API_2023, Finding, Report, Severity


def ordered(report: Report) -> list[Finding]:
    """Findings worst first, then by place, so output is stable."""
    return sorted(
        report.findings,
        key=lambda f: (-f.severity, f.hygiene, f.location.file or "", f.location.line or 0, f.rule_id),
    )


def by_severity(report: Report) -> dict[str, int]:
    counts = Counter(f.severity for f in report.findings)
    return {s.label: counts.get(s, 0) for s in sorted(Severity, reverse=True)}


def by_category(report: Report) -> dict[str, int]:
    counts = Counter(f.owasp or "hygiene" for f in report.findings)
    order = [*OWASP_API_2023, "hygiene"]
    return {k: counts[k] for k in sorted(counts, key=lambda k: order.index(k) if k in order else len(order))}


def relative(path: str | None, base_dir: str | None) -> str | None:
    """``path`` relative to ``base_dir`` when inside it, always with forward slashes."""
    if path is None or "://" in path:
        return path
    return _relative(path, base_dir)


@lru_cache(maxsize=1024)
def _relative(path: str, base_dir: str | None) -> str:
    pure = PurePath(path)
    if base_dir and pure.is_absolute():
        try:
            pure = pure.relative_to(base_dir)
        except ValueError:
            pass
    return posixpath.join(*pure.parts) if pure.parts else path


def where(finding: Finding, base_dir: str | None) -> str:
    loc = finding.location
    if loc.file:
        pos = f":{loc.line}:{loc.column or 1}" if loc.line else ""
        return f"{relative(loc.file, base_dir)}{pos}"
    return loc.describe()
