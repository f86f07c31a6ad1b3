"""The egress audit record: one per call, with the credential *version* and never the credential.

Fields: caller, partner, operation (``METHOD /path``), status to the caller, the partner's status,
bytes sent and received, credential kind and version, whether the 401 retry ran, undeclared fields
removed each way, PII categories sent to the partner when the data-flow inventory scanned this call
(``null`` when it did not: it samples ``dataflow.scans_per_second`` bodies per operation), outcome and
the internal reason (for operators; it never reaches the caller) and duration.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson

from bastion.redaction.detectors import find

AuditSink = Callable[[dict[str, Any]], Awaitable[None]]
audit_log = logging.getLogger("bastion.egress.audit")


@dataclass(slots=True)
class EgressRecord:
    request_id: str
    caller: str
    partner: str
    operation: str
    started: float
    status: int = 0
    partner_status: int | None = None
    bytes_sent: int = 0
    bytes_received: int = 0
    credential_kind: str = "none"
    credential_version: str = "-"
    retried: bool = False
    request_fields_removed: int = 0
    response_fields_removed: int = 0
    pii_counts: dict[str, int] | None = None
    """PII categories in the body sent, when it was scanned (the data-flow inventory samples)."""
    outcome: str = "ok"
    reason: str = ""
    duration: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": "egress.call",
            "request_id": self.request_id,
            "caller": self.caller,
            "partner": self.partner,
            "operation": self.operation,
            "status": self.status,
            "partner_status": self.partner_status,
            "bytes_sent": self.bytes_sent,
            "bytes_received": self.bytes_received,
            "credential": {"kind": self.credential_kind, "version": self.credential_version},
            "retried": self.retried,
            "fields_removed": {"request": self.request_fields_removed, "response": self.response_fields_removed},
            "pii_sent": None if self.pii_counts is None else sorted(self.pii_counts),
            "outcome": self.outcome,
            "reason": self.reason,
            "duration_ms": round(self.duration * 1000, 3),
        }


async def log_sink(record: dict[str, Any]) -> None:
    """Default sink: one JSON line on the ``bastion.egress.audit`` logger (not serialised when it is off)."""
    if audit_log.isEnabledFor(logging.INFO):
        audit_log.info("%s", orjson.dumps(record).decode())


def pii_counts(body: bytes, limit: int = 65536) -> dict[str, int]:
    """How many values of each PII category (the first ``limit`` bytes of) a request body carries."""
    counts: dict[str, int] = {}
    for category in find(body[:limit].decode("utf-8", "replace")):
        counts[str(category)] = counts.get(str(category), 0) + 1
    return counts
