"""STRIDE threats per element, the mitigations the gateway config applies, and the residual risks.

Each threat names the gateway policies that mitigate it and the audit rules whose findings show it is
still open. A threat is residual when a related finding exists or when its mitigation is missing on
some of the operations it concerns (or unknown, without ``--config``); residual risks are ranked by
severity, then by how many findings and operations they touch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bastion.findings.model import Finding, Severity
from bastion.threatmodel.model import Flow, SystemModel

STRIDE = {"S": "Spoofing", "T": "Tampering", "R": "Repudiation", "I": "Information disclosure",
          "D": "Denial of service", "E": "Elevation of privilege"}


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    stride: str
    element: str
    """An element id, or ``flow:<source>-><target>`` (``upstream`` matches every upstream)."""
    title: str
    mitigations: tuple[str, ...]
    rules: tuple[str, ...]
    severity: Severity
    advice: str
    universal: bool = True
    """Every operation needs the mitigation; otherwise only findings make the threat residual."""


AUTH = ("jwt", "jwt_auth", "introspection", "api_key", "mtls", "bearer", "public")
TEMPLATES = [
    Template("spoofed-client", "S", "client", "A client impersonates another (stolen, guessed or missing credentials)",
             AUTH, ("auth.missing-security", "auth.http-basic", "auth.credentials-in-url", "auth.oauth-weak-flow",
                    "auth.undefined-scheme", "config.route-unauthenticated", "config.stale-secret"), Severity.HIGH,
             "Authenticate every non-public route with short-lived tokens (jwt/introspection) or mTLS."),
    Template("repudiation", "R", "client", "A client denies having made a request",
             ("audit_log",), (), Severity.LOW,
             "Enable the tamper-evident audit log (`audit:` section) so every decision is recorded."),
    Template("eavesdropping", "I", "flow:client->gateway", "Credentials or personal data read in transit",
             (), ("transport.http-url", "config.weak-tls", "auth.credentials-in-url"), Severity.HIGH,
             "Serve only TLS 1.2+ on public listeners; keep credentials out of URLs."),
    Template("tampered-input", "T", "gateway", "Malformed or malicious input reaches the upstream",
             ("validate", "openapi_validation", "waf"), ("input.additional-properties", "data.mass-assignment",
                                                       "config.route-no-validation", "input.url"), Severity.HIGH,
             "Validate requests against the spec at the gateway and close objects (`additionalProperties: false`)."),
    Template("exhaustion", "D", "gateway", "Floods, brute force and oversized requests exhaust the service",
             ("rate_limit",), ("ratelimit.undeclared", "ratelimit.missing-headers", "ratelimit.unbounded-pagination",
                               "input.unbounded", "input.upload-size", "config.route-no-rate-limit"), Severity.MEDIUM,
             "Rate-limit every route, bound page sizes, strings, arrays and uploads."),
    Template("flow-abuse", "D", "flow:gateway->upstream", "Sensitive business flows are automated by bots",
             ("rate_limit",), ("ratelimit.sensitive-flow",), Severity.MEDIUM,
             "Apply strict per-subject and per-IP limits to login, sign-up, checkout and transfers."),
    Template("function-level", "E", "gateway", "Ordinary users reach administrative functions",
             ("authorize",), ("authz.admin-shared-scheme", "auth.scope-problems"), Severity.HIGH,
             "Give admin operations their own scopes or scheme and enforce them per route.", universal=False),
    Template("object-level", "E", "upstream", "A user reads or changes another user's objects (BOLA)",
             ("authorize",), ("authz.object-level", "authz.sequential-id"), Severity.HIGH,
             "Check object ownership on every call (bastion `authorize` with `object:`), use random ids.",
             universal=False),
    Template("data-exposure", "I", "flow:gateway->client", "Responses expose more data than the client needs",
             ("minimize", "field_filter"), ("data.sensitive-response", "data.verbose-errors",
                                            "config.route-no-minimization"), Severity.HIGH,
             "Minimize responses to the fields the spec declares; never return secrets or internals."),
    Template("internal-interception", "T", "flow:gateway->upstream", "Traffic to the upstream is read or altered",
             (), ("config.upstream-insecure",), Severity.HIGH,
             "Use verified TLS (private CA if needed) from the gateway to every upstream."),
    Template("ssrf", "E", "upstream", "The upstream is made to call internal services (SSRF)",
             (), ("input.url",), Severity.HIGH,
             "Replace URLs with identifiers or allow-list hosts; send outbound calls through an egress proxy."),
    Template("forged-webhooks", "S", "flow:upstream->third-party", "Callback and webhook deliveries are forged",
             (), ("webhooks.unsigned",), Severity.MEDIUM,
             "Sign deliveries (HMAC with timestamp) and verify signatures on receipt."),
    Template("shadow-endpoints", "E", "gateway", "Shadow or zombie endpoints bypass the gateway's controls",
             (), ("inventory.deprecated-operation", "inventory.internal-server", "inventory.non-production-server",
                  "config.shadow-route", "config.unrouted-operation"), Severity.MEDIUM,
             "Keep spec and routes in step; retire deprecated operations and non-production servers."),
]


@dataclass(slots=True)
class Threat:
    template: Template
    element: str
    findings: list[Finding] = field(default_factory=list)
    mitigation: str = ""
    gap: bool = False

    @property
    def severity(self) -> Severity:
        return max([self.template.severity, *(f.severity for f in self.findings)])

    @property
    def residual(self) -> bool:
        return bool(self.findings) or self.gap


def _flows_for(model: SystemModel, selector: str) -> list[Flow]:
    if selector.startswith("flow:"):
        source, target = selector[5:].split("->")
        return [f for f in model.flows if f.source.split(":")[0] == source and f.target.split(":")[0] == target]
    return [f for f in model.flows if f.source == "client"]


def _mitigation(model: SystemModel, template: Template) -> tuple[str, bool]:
    if template.id == "repudiation":
        on = "audit" in model.settings
        return ("audit log configured" if on else "no audit log configured"), not on
    if not template.mitigations:
        return "checked by the related audit rules", False
    if not model.settings:
        return "unknown: no gateway config given (--config)", True
    flows = _flows_for(model, template.element) or _flows_for(model, "client")
    total = sum(len(f.operations) for f in flows)
    wanted = set(template.mitigations)
    applied = sum(1 for f in flows for names in f.applied if names & wanted)
    names = "/".join(template.mitigations)
    return f"{names} applied on {applied} of {total} operation flows", template.universal and applied < total


def analyse(model: SystemModel, findings: list[Finding]) -> list[Threat]:
    """Every applicable threat with its mitigation status; residual ones first, worst first."""
    threats = []
    ids = {e.id.split(":")[0] for e in model.elements}
    for template in TEMPLATES:
        element = template.element.removeprefix("flow:").split("->")[-1]
        if element.split(":")[0] not in ids:
            continue
        threat = Threat(template, template.element,
                        [f for f in findings if f.rule_id in template.rules and not f.hygiene])
        threat.mitigation, threat.gap = _mitigation(model, template)
        threats.append(threat)
    threats.sort(key=lambda t: (not t.residual, -t.severity, -len(t.findings)))
    return threats
