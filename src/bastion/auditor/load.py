"""The auditor's reads: the gateway config (as plain data with positions), the certificates it names and
the rotation state of the secret store it names."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bastion.auditor.rules import CertificateInfo
from bastion.auditor.rules.platform import certificate_paths
from bastion.findings.model import Finding
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


def read_secret_rotation(config: SourceFile, now: datetime) -> list[Finding]:
    """Overdue and soon-due secrets of the store in the config's ``secrets:`` section (metadata only: no
    master key needed, nothing written), or a ``secrets.rotation-unchecked`` finding saying why not."""
    import anyio
    from pydantic import ValidationError

    from bastion.secrets.config import SecretsSection
    from bastion.secrets.rotation import unchecked_finding
    from bastion.secrets.status import rotation_findings

    data = config.data if isinstance(config.data, dict) else {}
    if data.get("secrets") is None:
        return []
    try:
        section = SecretsSection.model_validate(data["secrets"])
    except ValidationError:
        return [unchecked_finding("the secrets: section is not valid (see `bastion config check`)")]
    base = Path(config.name).parent

    async def read() -> list[Finding]:
        return await rotation_findings(section, base_dir=base, now=now.timestamp())

    return anyio.run(read)
