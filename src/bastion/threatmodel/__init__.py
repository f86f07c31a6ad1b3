"""``bastion threat-model``: a STRIDE threat model generated from the OpenAPI spec (and gateway config).

    model, threats = threat_model(doc, now=..., config=settings)
    render_html(model, threats, render_svg(model)) / render_markdown(model, threats, "report.svg")

Trust boundaries: clients ↔ gateway ↔ upstreams ↔ third parties (callbacks, webhooks). Data flows carry
the PII categories of each operation; threats come from ``stride.TEMPLATES``; residual risks are those
with audit findings or with mitigations missing from the config.
"""

from __future__ import annotations

from datetime import datetime

from bastion.auditor import audit
from bastion.auditor.rules import AuditContext, CertificateInfo
from bastion.openapi import OpenAPIDocument
from bastion.openapi.source import SourceFile
from bastion.threatmodel.diagram import render_svg
from bastion.threatmodel.model import SystemModel, build
from bastion.threatmodel.report import render_html, render_markdown
from bastion.threatmodel.stride import Threat, analyse


def threat_model(doc: OpenAPIDocument, *, now: datetime, config: SourceFile | None = None,
                 certificates: dict[str, CertificateInfo] | None = None) -> tuple[SystemModel, list[Threat]]:
    report = audit(doc, now=now, config=config, certificates=certificates)
    model = build(AuditContext(doc=doc, now=now, config=config, certificates=certificates or {}))
    return model, analyse(model, report.findings)


__all__ = ["SystemModel", "Threat", "render_html", "render_markdown", "render_svg", "threat_model"]
