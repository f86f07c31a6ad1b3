"""The auditor's file reads: the gateway config (as plain data with positions) and the certificates it names."""

from __future__ import annotations

from pathlib import Path

from bastion.auditor.rules import CertificateInfo
from bastion.auditor.rules.platform import certificate_paths
from bastion.openapi.source import OpenAPIError, SourceFile


def load_config(path: str | Path) -> SourceFile:
    """Parse ``bastion.yaml`` without validating it against the gateway's models (the audit reports, it
    does not refuse); raises ``OpenAPIError`` for unreadable or unparsable files."""
    name = str(Path(path).resolve())
    try:
        text = Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise OpenAPIError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None
    return SourceFile.parse(name, text)


def read_certificates(config: SourceFile) -> dict[str, CertificateInfo]:
    """Expiry dates of the PEM certificates the config names, relative paths taken from the config's folder."""
    from cryptography import x509

    out: dict[str, CertificateInfo] = {}
    data = config.data if isinstance(config.data, dict) else {}
    base = Path(config.name).parent
    for _pointer, raw in certificate_paths(data):
        path = Path(raw) if Path(raw).is_absolute() else base / raw
        try:
            certs = x509.load_pem_x509_certificates(path.read_bytes())
        except (OSError, ValueError) as exc:
            out[raw] = CertificateInfo(None, type(exc).__name__)
            continue
        out[raw] = CertificateInfo(min(c.not_valid_after_utc for c in certs) if certs else None)
    return out
