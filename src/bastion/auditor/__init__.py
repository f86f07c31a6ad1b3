"""``bastion audit``: OWASP API Security Top 10 (2023) checks of an OpenAPI spec and, with ``--config``,
of the gateway configuration that serves it.

    from bastion.auditor import audit, load_config, read_certificates
    report = audit(load_document("openapi.yaml"), now=datetime.now(UTC))

Rules live in ``bastion.auditor.rules`` (one module per family, sans-I/O); ``pii.inventory`` lists
which operations send and return which personal-data categories.
"""

from bastion.auditor.engine import audit, select
from bastion.auditor.load import load_config, read_certificates, read_secret_rotation

__all__ = ["audit", "load_config", "read_certificates", "read_secret_rotation", "select"]
