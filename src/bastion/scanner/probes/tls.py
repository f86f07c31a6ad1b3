"""API8 TLS: certificate validity and host name, old protocol versions, weak ciphers (https targets only).

The engine performs the handshakes; this probe only judges them.
"""

from __future__ import annotations

from typing import ClassVar

from bastion.findings.model import Evidence, Severity
from bastion.scanner.catalogue import finding
from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, tls

WEAK_CIPHERS = ("RC4", "3DES", "DES-CBC", "NULL", "EXPORT", "anon", "MD5")


class TlsProbe:
    id: ClassVar[str] = "tls"
    phase: ClassVar[int] = 1

    def run(self, ctx: ScanContext) -> Flow:
        if ctx.target_scheme != "https":
            return
        default = yield from tls()
        if default.verify_error:
            self._add(ctx, f"The certificate does not verify: {default.verify_error}.", Severity.HIGH)
        elif default.connected and any(w.lower() in default.cipher.lower() for w in WEAK_CIPHERS):
            self._add(ctx, f"The server negotiated the weak cipher {default.cipher}.", Severity.MEDIUM)
        for old in ("TLSv1", "TLSv1_1"):
            report = yield from tls(old)
            if report.connected and report.version in ("TLSv1", "TLSv1.1"):
                self._add(ctx, f"The server accepts {report.version}.", Severity.MEDIUM)
                break

    def _add(self, ctx: ScanContext, message: str, severity: Severity) -> None:
        ctx.add(finding("misconfig.tls", message, operation=f"TLS: {message}", url=ctx.target,
                        severity=severity, evidence=Evidence(notes=message)))
