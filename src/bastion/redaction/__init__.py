"""Field selectors, PII and secret detectors with validators, redaction actions and schema projection.

Public entry points: ``redact`` (JSON documents, per field and category), ``redact_text`` and
``redact_value`` (the gateway's own logs, audit events and error messages), ``inventory`` (counts per
category, never values) and ``projection`` (keep only what an OpenAPI/JSON schema declares).
"""

from bastion.redaction.categories import Action, Blocked, Category
from bastion.redaction.logsafe import RedactingFilter, redact_text, redact_value
from bastion.redaction.transform import Outcome, RedactionRules, inventory, redact

__all__ = [
    "Action",
    "Blocked",
    "Category",
    "Outcome",
    "RedactingFilter",
    "RedactionRules",
    "inventory",
    "redact",
    "redact_text",
    "redact_value",
]
