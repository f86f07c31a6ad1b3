"""Top-level configuration sections owned by capabilities outside the gateway core.

Each entry maps a top-level YAML key to a pydantic model (``module:Class``), imported lazily and
validated at load with the same file/line/key-path errors as the core sections. The owning
capability reads its validated section from ``PolicyDeps.settings[<key>]`` or from
``GatewayConfig.extra_sections``.
"""

from __future__ import annotations

SECTIONS: dict[str, str] = {
    "issuers": "bastion.tokens.config:IssuersSection",
    "oauth": "bastion.oauth.config:AuthServerSection",
    "audit": "bastion.observability.config:AuditSection",
    "access_log": "bastion.observability.config:AccessLogSection",
    "metrics": "bastion.observability.config:MetricsSection",
    "anomaly": "bastion.anomaly.config:AnomalySection",
    "tracing": "bastion.tracing.config:TracingSection",
    "secrets": "bastion.secrets.config:SecretsSection",
    "dataflow": "bastion.dataflow.config:DataFlowSection",
    "egress": "bastion.egress.config:EgressSection",
}
