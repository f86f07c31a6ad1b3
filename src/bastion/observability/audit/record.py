"""One audit record and how it commits to the previous one.

A record is ``(chain_id, seq, ts, kind, data, prev, hash)``. ``data`` is stored as the exact JSON
text that was hashed, so verification never depends on re-serialising JSON the same way twice.

    hash = SHA-256( "bastion-audit-v1" \\n chain_id \\n prev \\n repr(ts) \\n kind \\n data )

``seq`` is the storage order only and is deliberately outside the hash: the chain itself (each
``prev`` naming the hash before it) fixes the order, which lets the verifier tell an inserted record
from a modified one after an attacker renumbers rows. A ``checkpoint`` record carries an Ed25519
signature over ``(chain_id, covered seq, covered hash)``; because every hash commits to all earlier
records, a checkpoint vouches for the whole chain up to it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

GENESIS_PREV = "0" * 64
CHECKPOINT = "checkpoint"
GENESIS = "chain.genesis"
_DOMAIN = b"bastion-audit-v1"


@dataclass(frozen=True, slots=True)
class AuditRecord:
    chain_id: str
    seq: int
    ts: float
    kind: str
    data: str
    """Canonical JSON text (sorted keys), exactly as hashed and stored."""
    prev: str
    hash: str

    def payload(self) -> dict[str, Any]:
        value = orjson.loads(self.data)
        return value if isinstance(value, dict) else {"value": value}

    def as_row(self) -> tuple[str, int, float, str, str, str, str]:
        return (self.chain_id, self.seq, self.ts, self.kind, self.data, self.prev, self.hash)


def canonical_json(data: dict[str, Any]) -> str:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str).decode()


def record_hash(chain_id: str, prev: str, ts: float, kind: str, data: str) -> str:
    h = hashlib.sha256(_DOMAIN)
    for part in (chain_id, prev, repr(float(ts)), kind, data):
        h.update(b"\n")
        h.update(part.encode())
    return h.hexdigest()


def make_record(chain_id: str, seq: int, ts: float, kind: str, data: dict[str, Any], prev: str) -> AuditRecord:
    text = canonical_json(data)
    return AuditRecord(chain_id, seq, float(ts), kind, text, prev, record_hash(chain_id, prev, ts, kind, text))


def recompute(record: AuditRecord) -> str:
    return record_hash(record.chain_id, record.prev, record.ts, record.kind, record.data)


def checkpoint_message(chain_id: str, covered_seq: int, covered_hash: str) -> bytes:
    """The bytes a checkpoint signs: this chain, up to and including ``covered_seq``."""
    return b"bastion-audit-checkpoint-v1\n" + f"{chain_id}\n{covered_seq}\n{covered_hash}".encode()
