"""Integration: the TLS check against the sample API's secure twin served over HTTPS with a self-signed
certificate. The scan runs with verification off for its requests (``--insecure``), and still reports
that the certificate does not verify."""

from __future__ import annotations

import datetime
from pathlib import Path

import anyio
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from scan_fixtures import serve

from bastion.samples.vulnapi import SPEC_PATH, VulnApi
from bastion.scanner.scan import ScanOptions, new_report, run_scan

pytestmark = pytest.mark.integration


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return certfile, keyfile


def test_untrusted_certificate_is_reported(tmp_path: Path) -> None:
    certfile, keyfile = self_signed(tmp_path)
    with serve(VulnApi(secure=True), certfile, keyfile) as port:
        options = ScanOptions(spec=SPEC_PATH, target=f"https://localhost:{port}", checks=["tls", "cors"],
                              verify_tls=False, rate=500)
        report = new_report(options)
        anyio.run(lambda: run_scan(options, report))
    tls = [f for f in report.findings if f.rule_id == "misconfig.tls"]
    assert [f.owasp for f in tls] == ["API8:2023"]
    assert "does not verify" in tls[0].message
    assert [f.rule_id for f in report.findings if f.rule_id != "misconfig.tls"] == []
    assert report.stats["requests"] > 0
