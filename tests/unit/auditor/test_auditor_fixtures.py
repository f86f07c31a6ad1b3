"""Unit: every rule fires where a fixture plants its flaw (`# FLAW rule-id` comments) and nowhere on the
clean twin, identically for the OpenAPI 3.0 and 3.1 variants; the gateway-config rules likewise."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bastion.auditor import audit, load_config, read_certificates
from bastion.auditor.rules import REGISTRY
from bastion.findings import Report
from bastion.openapi import load_document

SPECS = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "audit"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
FLAW = re.compile(r"#.*?FLAW ([a-z0-9-]+\.[a-z0-9.-]+(?:, [a-z0-9-]+\.[a-z0-9.-]+)*)")


def planted(path: Path) -> set[str]:
    """The rule ids a fixture's `# FLAW a, b` comments say must fire."""
    ids: set[str] = set()
    for match in FLAW.finditer(path.read_text()):
        ids.update(part.strip() for part in match.group(1).split(","))
    return ids


def run(spec: Path, config: Path | None = None) -> Report:
    settings = load_config(config) if config else None
    certs = read_certificates(settings) if settings else {}
    report = audit(load_document(spec), now=NOW, config=settings, certificates=certs, include_hygiene=True,
                   base_dir=str(spec.parent))
    assert report.stats["rule_errors"] == []
    return report


@pytest.mark.parametrize("name", ["shop", "bare"])
@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_every_planted_flaw_fires_and_nothing_else(name: str, version: str) -> None:
    spec = SPECS / f"{name}-flawed-{version}.yaml"
    fired = {f.rule_id for f in run(spec).findings}
    assert fired == planted(spec)


@pytest.mark.parametrize("name", ["shop", "bare"])
@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_clean_twin_has_no_findings_even_hygiene(name: str, version: str) -> None:
    report = run(SPECS / f"{name}-clean-{version}.yaml")
    assert [f.message for f in report.findings] == []


@pytest.mark.parametrize("variant", ["flawed", "clean"])
def test_same_content_gives_identical_findings_in_30_and_31(variant: str) -> None:
    def key(report: Report) -> list[tuple[str, str | None, int | None, str]]:
        return sorted((f.rule_id, f.location.pointer, f.location.line, f.message) for f in report.findings)

    assert key(run(SPECS / f"shop-{variant}-3.0.yaml")) == key(run(SPECS / f"shop-{variant}-3.1.yaml"))


def test_every_rule_is_planted_in_some_fixture() -> None:
    everywhere = set().union(*(planted(p) for p in SPECS.glob("*-flawed*.yaml")))
    assert everywhere == set(REGISTRY)


def test_findings_carry_metadata_and_positions() -> None:
    spec = SPECS / "shop-flawed-3.0.yaml"
    lines = spec.read_text().splitlines()
    for finding in run(spec).findings:
        assert finding.owasp and finding.cwe and finding.risk and finding.fix, finding.rule_id
        assert finding.location.line and finding.location.column and finding.location.pointer is not None
        if finding.rule_id == "auth.http-basic":
            assert lines[finding.location.line - 1].strip().startswith("basicAuth:")


def _certificate(path: Path, days_left: int) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gateway.test")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(NOW - timedelta(days=300))
            .not_valid_after(NOW + timedelta(days=days_left)).sign(key, hashes.SHA256()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    for name in ("shop-clean-3.0.yaml", "bastion-clean.yaml", "bastion-flawed.yaml"):
        shutil.copy(SPECS / name, tmp_path / name)
    _certificate(tmp_path / "certs" / "gateway.pem", 365)
    _certificate(tmp_path / "certs" / "expiring.pem", 10)
    return tmp_path


def test_config_flaws_fire_where_planted(workdir: Path) -> None:
    report = run(workdir / "shop-clean-3.0.yaml", workdir / "bastion-flawed.yaml")
    assert {f.rule_id for f in report.findings} == planted(workdir / "bastion-flawed.yaml")
    expiry = next(f for f in report.findings if f.rule_id == "config.certificate-expiry")
    assert "expires in 10 days" in expiry.message and expiry.location.file == "bastion-flawed.yaml"


def test_clean_config_has_no_findings(workdir: Path) -> None:
    report = run(workdir / "shop-clean-3.0.yaml", workdir / "bastion-clean.yaml")
    assert [f.message for f in report.findings] == []


def test_expired_certificate_is_critical(workdir: Path) -> None:
    _certificate(workdir / "certs" / "expiring.pem", -3)
    report = run(workdir / "shop-clean-3.0.yaml", workdir / "bastion-flawed.yaml")
    expiry = next(f for f in report.findings if f.rule_id == "config.certificate-expiry")
    assert expiry.severity.label == "critical" and "expired 3 days ago" in expiry.message
