"""Verify audit chains: OK, or the first record that was modified, deleted, inserted or reordered.

Rules, per chain in ``seq`` order:

* every record's stored hash equals the recomputed hash (else: **modified**);
* every record's ``prev`` is the hash of the record before it. When it is not, the verifier says why:
  ``prev`` names a record further on (**reordered**), the record two back (the one between was
  **inserted**), or a record that is not in the log (a record was **deleted**, or modified and
  re-hashed);
* every checkpoint's Ed25519 signature covers the record before it, with the pinned key (``--key``)
  or, when none is pinned, the key declared by the chain's genesis record;
* the chain ends with a valid checkpoint. Records after the last valid checkpoint were not written
  by the gateway's writer (it commits each batch together with its checkpoint), so a truncated and
  re-forged tail is reported (**forged**).

Pure truncation of whole batches at the end is only visible against an external copy of a recent
checkpoint; the checkpoint output of ``bastion log verify`` is meant to be kept elsewhere for that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import orjson

from bastion.observability.audit.record import (
    CHECKPOINT,
    GENESIS,
    GENESIS_PREV,
    AuditRecord,
    checkpoint_message,
    recompute,
)
from bastion.observability.audit.signing import verify_signature


@dataclass(frozen=True, slots=True)
class Tamper:
    kind: str
    """``modified``, ``deleted``, ``inserted``, ``reordered`` or ``forged``."""
    chain_id: str
    seq: int
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: chain {self.chain_id!r} seq {self.seq}: {self.message}"


@dataclass(slots=True)
class VerifyResult:
    records: int = 0
    chains: dict[str, int] = field(default_factory=dict)
    """Records per chain."""
    last_checkpoint: dict[str, int] = field(default_factory=dict)
    """Seq of the last valid checkpoint per chain."""
    tamper: Tamper | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.tamper is None


def verify_records(records: Iterable[AuditRecord], pinned_key: str | None = None) -> VerifyResult:
    by_chain: dict[str, list[AuditRecord]] = {}
    for rec in records:
        by_chain.setdefault(rec.chain_id, []).append(rec)
    result = VerifyResult()
    if pinned_key is None and by_chain:
        result.notes.append("signatures checked against the key in each chain's genesis record; "
                            "pin the gateway's key with --key for a stronger check")
    for chain_id in sorted(by_chain):
        chain = sorted(by_chain[chain_id], key=lambda r: r.seq)
        result.records += len(chain)
        result.chains[chain_id] = len(chain)
        tamper = _verify_chain(chain, pinned_key, result)
        if tamper is not None:
            result.tamper = tamper
            break
    return result


def _verify_chain(chain: list[AuditRecord], pinned: str | None, result: VerifyResult) -> Tamper | None:
    position = {r.hash: i for i, r in enumerate(chain)}
    prev, expected, key = GENESIS_PREV, chain[0].seq, pinned
    last_good = -1
    for i, rec in enumerate(chain):
        if i > 0 and rec.seq == chain[i - 1].seq:
            return Tamper("inserted", rec.chain_id, rec.seq, "two records share this sequence number")
        if recompute(rec) != rec.hash:
            return Tamper("modified", rec.chain_id, rec.seq, "content does not match its hash")
        if rec.prev != prev:
            return _broken_link(chain, i, position, expected)
        if rec.kind == GENESIS:
            if i != 0:
                return Tamper("inserted", rec.chain_id, rec.seq, "a second genesis record inside the chain")
            declared = str(rec.payload().get("public_key", ""))
            key = key or declared
            if pinned and declared != pinned:
                result.notes.append(f"chain {rec.chain_id!r} declares a different key than the pinned one")
        elif rec.kind == CHECKPOINT:
            tamper = _check_checkpoint(chain, i, key, last_good)
            if tamper is not None:
                return tamper
            last_good = i
            result.last_checkpoint[rec.chain_id] = rec.seq
        prev, expected = rec.hash, rec.seq + 1
    if last_good != len(chain) - 1:
        first = chain[last_good + 1]
        return Tamper("forged", first.chain_id, first.seq,
                      f"{len(chain) - 1 - last_good} record(s) from here on are not covered by a signed "
                      "checkpoint (truncated and re-written?)")
    return None


def _broken_link(chain: list[AuditRecord], i: int, position: dict[str, int], expected: int) -> Tamper:
    rec = chain[i]
    j = position.get(rec.prev)
    if j is not None and j > i:
        return Tamper("reordered", rec.chain_id, rec.seq, f"commits to record seq {chain[j].seq}, which comes later")
    if j is not None and j < i - 1:
        intruder = chain[j + 1]
        return Tamper("inserted", rec.chain_id, intruder.seq,
                      f"not part of the chain: seq {rec.seq} commits to seq {chain[j].seq}")
    if i == 0:
        return Tamper("deleted", rec.chain_id, rec.seq, "the chain's first record(s) are missing")
    if rec.seq > expected:
        return Tamper("deleted", rec.chain_id, expected,
                      f"record(s) seq {expected}..{rec.seq - 1} are missing (seq {rec.seq} commits to a lost record)")
    return Tamper("deleted", rec.chain_id, rec.seq,
                  f"commits to a record that is not in the log: the record before seq {rec.seq} was deleted "
                  "(and the rest renumbered) or modified and re-hashed")


def _check_checkpoint(chain: list[AuditRecord], i: int, key: str | None, last_good: int) -> Tamper | None:
    rec = chain[i]
    since = chain[last_good + 1].seq if last_good + 1 < i else rec.seq
    try:
        data = orjson.loads(rec.data)
        covered_seq, covered_hash, sig = int(data["covered_seq"]), str(data["covered_hash"]), str(data["sig"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return Tamper("modified", rec.chain_id, rec.seq, "malformed checkpoint")
    if i == 0 or covered_hash != chain[i - 1].hash or covered_seq != chain[i - 1].seq:
        return Tamper("modified", rec.chain_id, since,
                      f"checkpoint seq {rec.seq} no longer covers records seq {since}..{rec.seq - 1}: "
                      "they were altered and re-hashed")
    if key is None or not verify_signature(key, sig, checkpoint_message(rec.chain_id, covered_seq, covered_hash)):
        return Tamper("modified", rec.chain_id, since,
                      f"checkpoint seq {rec.seq} has no valid signature: records seq {since}..{rec.seq - 1} "
                      "were altered and re-hashed, or the checkpoint was forged")
    return None
