"""Property: whatever single change is made to a signed audit chain — any record's content, kind or
timestamp modified, any record deleted, any two records swapped, a forged record inserted anywhere —
verification fails and points at or before the touched record; the untouched chain always verifies."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.observability.audit.record import CHECKPOINT, GENESIS, AuditRecord, checkpoint_message, make_record
from bastion.observability.audit.signing import CheckpointSigner
from bastion.observability.audit.verify import verify_records

SIGNER = CheckpointSigner.generate()


def chain(batches: list[int]) -> list[AuditRecord]:
    out: list[AuditRecord] = []
    prev, seq, ts = "0" * 64, 0, 1_800_000_000.0
    events: list[tuple[str, dict[str, object]]] = [(GENESIS, {"public_key": SIGNER.public_text})]
    for size in batches:
        events += [("auth.failure", {"n": len(out) + i}) for i in range(size)]
        for kind, data in events:
            seq, ts = seq + 1, ts + 0.5
            rec = make_record("c", seq, ts, kind, data, prev)
            out.append(rec)
            prev = rec.hash
        events = []
        sig = SIGNER.sign(checkpoint_message("c", seq, prev))
        seq += 1
        rec = make_record("c", seq, ts, CHECKPOINT, {"covered_seq": seq - 1, "covered_hash": prev, "sig": sig}, prev)
        out.append(rec)
        prev = rec.hash
    return out


BATCHES = st.lists(st.integers(1, 6), min_size=2, max_size=5)


@given(BATCHES)
def test_untouched_chain_verifies(batches: list[int]) -> None:
    assert verify_records(chain(batches), SIGNER.public_text).ok


@settings(max_examples=150)
@given(BATCHES, st.data(), st.sampled_from(["data", "kind", "ts", "delete", "swap", "insert"]))
def test_any_single_change_is_detected(batches: list[int], data: st.DataObject, change: str) -> None:
    recs = chain(batches)
    i = data.draw(st.integers(0, len(recs) - 1), label="index")
    touched = recs[i].seq
    if change == "data":
        recs[i] = replace(recs[i], data='{"tampered":true}')
    elif change == "kind":
        recs[i] = replace(recs[i], kind="admin.action" if recs[i].kind != "admin.action" else "x")
    elif change == "ts":
        recs[i] = replace(recs[i], ts=recs[i].ts + 1)
    elif change == "delete":
        del recs[i]
    elif change == "swap":
        j = data.draw(st.integers(0, len(recs) - 1).filter(lambda j: j != i), label="other")
        touched = min(recs[i].seq, recs[j].seq)
        recs[i], recs[j] = replace(recs[j], seq=recs[i].seq), replace(recs[i], seq=recs[j].seq)
    else:
        prev = recs[i - 1].hash if i else "0" * 64
        forged = make_record("c", recs[i].seq, recs[i].ts, "admin.action", {"actor": "x"}, prev)
        recs = recs[:i] + [forged] + [replace(r, seq=r.seq + 1) for r in recs[i:]]
    result = verify_records(recs, SIGNER.public_text)
    assert result.tamper is not None, (change, i)
    assert result.tamper.seq <= touched + 1, (change, i, result.tamper)
