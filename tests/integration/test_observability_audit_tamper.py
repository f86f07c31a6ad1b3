"""Integration: tamper with a real audit log (SQLite file and PostgreSQL table) in every way and check
that verification names the first record touched. Also: writer resume, drain on stop, the CLI."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner

from bastion.cli.main import app as cli_app
from bastion.observability.audit.record import CHECKPOINT, AuditRecord, checkpoint_message, make_record, recompute
from bastion.observability.audit.signing import CheckpointSigner
from bastion.observability.audit.sink import AuditSink, open_sink
from bastion.observability.audit.verify import verify_records
from bastion.observability.audit.writer import AuditLog
from bastion.testing.clock import FakeClock

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
PG = "postgresql://postgres@127.0.0.1:5432/test"
SIGNER = CheckpointSigner.generate()


@pytest.fixture(params=["sqlite", "postgres"])
async def sink(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AuditSink]:
    if request.param == "sqlite":
        s: AuditSink = open_sink(f"sqlite:///{tmp_path}/audit.db")
        yield s
        await s.close()
        return
    schema = f"bastion_audit_test_{uuid.uuid4().hex[:10]}"
    s = open_sink(PG, f"{schema}.audit")
    yield s
    await s.close()
    conn = await asyncpg.connect(PG)
    try:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    finally:
        await conn.close()


async def _fill(sink: AuditSink, events: int = 40, batch: int = 8) -> list[AuditRecord]:
    log = AuditLog(sink, SIGNER, "gw-1", clock=FakeClock(), batch_size=batch, flush_interval=0.01)
    await log.start()
    for i in range(events):  # all accepted before the writer runs: batches are deterministic
        log.emit("auth.failure", {"i": i, "client_ip": "203.0.113.7"})
    await log.stop()
    return await sink.read_all()


async def _rewrite(sink: AuditSink, records: list[AuditRecord]) -> None:
    """Replace the table's contents: the attacker has write access to the database."""
    if hasattr(sink, "path"):
        conn = sqlite3.connect(sink.path)
        conn.execute(f"DELETE FROM {sink.table}")  # type: ignore[attr-defined]
        conn.executemany(f"INSERT INTO {sink.table} VALUES (?,?,?,?,?,?,?)",  # type: ignore[attr-defined]
                         [r.as_row() for r in records])
        conn.commit()
        conn.close()
        return
    conn2 = await asyncpg.connect(PG)
    try:
        table = sink.table  # type: ignore[attr-defined]
        await conn2.execute(f"DELETE FROM {table}")
        await conn2.executemany(f"INSERT INTO {table} VALUES ($1,$2,$3,$4,$5,$6,$7)", [r.as_row() for r in records])
    finally:
        await conn2.close()


def _rehash_from(records: list[AuditRecord], start: int) -> list[AuditRecord]:
    """What an attacker without the key can do: recompute every hash (checkpoints keep old signatures)."""
    out = records[:start]
    for r in records[start:]:
        prev = out[-1].hash if out else r.prev
        rec = replace(r, prev=prev)
        out.append(replace(rec, hash=recompute(rec)))
    return out


def _modify(rs: list[AuditRecord]) -> list[AuditRecord]:
    rs[10] = replace(rs[10], data='{"client_ip":"198.51.100.1","i":9}')
    return rs


def _modify_and_rehash(rs: list[AuditRecord]) -> list[AuditRecord]:
    rs[10] = replace(rs[10], data='{"client_ip":"198.51.100.1","i":9}')
    return _rehash_from(rs, 10)


def _delete(rs: list[AuditRecord]) -> list[AuditRecord]:
    return rs[:10] + rs[11:]


def _delete_and_renumber(rs: list[AuditRecord]) -> list[AuditRecord]:
    return rs[:10] + [replace(r, seq=r.seq - 1) for r in rs[11:]]


def _insert(rs: list[AuditRecord]) -> list[AuditRecord]:
    forged = make_record("gw-1", 11, rs[9].ts, "admin.action", {"actor": "attacker"}, rs[9].hash)
    return rs[:10] + [forged] + [replace(r, seq=r.seq + 1) for r in rs[10:]]


def _reorder(rs: list[AuditRecord]) -> list[AuditRecord]:
    a, b = rs[10], rs[11]
    return [*rs[:10], replace(b, seq=a.seq), replace(a, seq=b.seq), *rs[12:]]


def _truncate_then_forge(rs: list[AuditRecord]) -> list[AuditRecord]:
    kept = rs[:20]
    attacker = CheckpointSigner.generate()
    prev, seq = kept[-1].hash, kept[-1].seq
    for i in range(5):
        seq += 1
        rec = make_record("gw-1", seq, kept[-1].ts + i, "auth.failure", {"i": 100 + i}, prev)
        kept.append(rec)
        prev = rec.hash
    sig = attacker.sign(checkpoint_message("gw-1", seq, prev))
    kept.append(make_record("gw-1", seq + 1, kept[-1].ts, CHECKPOINT,
                            {"covered_seq": seq, "covered_hash": prev, "key_id": attacker.key_id, "sig": sig}, prev))
    return kept


def _append_unsigned(rs: list[AuditRecord]) -> list[AuditRecord]:
    last = rs[-1]
    return [*rs, make_record("gw-1", last.seq + 1, last.ts, "config.reload", {"ok": True}, last.hash)]


TAMPERS: dict[str, tuple[Callable[[list[AuditRecord]], list[AuditRecord]], str, int]] = {
    # name: (tamper, expected kind, expected seq of the first record reported)
    "modify": (_modify, "modified", 11),
    "modify-and-rehash": (_modify_and_rehash, "modified", 10),  # narrowed to its batch (seq 10..17)
    "delete": (_delete, "deleted", 11),
    "delete-and-renumber": (_delete_and_renumber, "deleted", 11),
    "insert": (_insert, "inserted", 11),
    "reorder": (_reorder, "reordered", 11),
    "truncate-then-forge": (_truncate_then_forge, "modified", 19),  # first record after the last valid checkpoint
    "append-unsigned": (_append_unsigned, "forged", 0),
}


async def test_untouched_log_verifies(sink: AuditSink) -> None:
    records = await _fill(sink)
    result = verify_records(records, SIGNER.public_text)
    assert result.ok, result.tamper
    assert result.records == len(records) == 40 + 1 + 6  # events + genesis + a checkpoint per batch of 8
    assert [r.seq for r in records if r.kind == CHECKPOINT] == [9, 18, 27, 36, 45, 47]


@pytest.mark.parametrize("name", list(TAMPERS))
async def test_tampering_is_detected_at_the_first_touched_record(sink: AuditSink, name: str) -> None:
    tamper, kind, seq = TAMPERS[name]
    original = await _fill(sink)
    await _rewrite(sink, tamper(list(original)))
    result = verify_records(await sink.read_all(), SIGNER.public_text)
    assert result.tamper is not None, name
    assert result.tamper.kind == kind
    assert result.tamper.seq == (seq or original[-1].seq + 1)


async def test_forged_chain_with_own_key_fails_when_key_is_pinned(sink: AuditSink) -> None:
    original = await _fill(sink)
    attacker = CheckpointSigner.generate()
    forged: list[AuditRecord] = []
    for r in original:  # rebuild the whole chain, genesis and checkpoints included, with another key
        prev = forged[-1].hash if forged else r.prev
        data = r.payload()
        if r.kind == CHECKPOINT:
            data.update(covered_hash=prev, key_id=attacker.key_id,
                        sig=attacker.sign(checkpoint_message("gw-1", r.seq - 1, prev)))
        elif r.kind == "chain.genesis":
            data.update(public_key=attacker.public_text, key_id=attacker.key_id)
        forged.append(make_record("gw-1", r.seq, r.ts, r.kind, data, prev))
    await _rewrite(sink, forged)
    assert verify_records(await sink.read_all()).ok  # unpinned: only internal consistency
    pinned = verify_records(await sink.read_all(), SIGNER.public_text)
    assert pinned.tamper is not None and pinned.tamper.kind == "modified"


async def test_writer_resumes_the_chain_after_restart(sink: AuditSink) -> None:
    await _fill(sink, events=10)
    log = AuditLog(sink, SIGNER, "gw-1", clock=FakeClock(), batch_size=8, flush_interval=0.01)
    await log.start()
    log.emit("config.reload", {"ok": True})
    await log.stop()
    result = verify_records(await sink.read_all(), SIGNER.public_text)
    assert result.ok and result.records == 10 + 1 + 2 + 2  # second start continues: no new genesis


def test_sql_update_on_the_sqlite_file_is_detected(tmp_path: Path) -> None:
    sink = open_sink(f"sqlite:///{tmp_path}/a.db")
    asyncio.run(_fill(sink))
    asyncio.run(sink.close())
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute("UPDATE bastion_audit SET data = replace(data, '203.0.113.7', '10.0.0.1') WHERE seq = 7")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(cli_app, ["log", "verify", f"sqlite:///{tmp_path}/a.db"])
    assert result.exit_code == 1
    assert "modified: chain 'gw-1' seq 7" in result.output


def test_cli_reports_ok_with_pinned_key(tmp_path: Path) -> None:
    sink = open_sink(str(tmp_path / "b.db"))
    asyncio.run(_fill(sink))
    asyncio.run(sink.close())
    key = tmp_path / "key.pem"
    from cryptography.hazmat.primitives import serialization

    key.write_bytes(SIGNER._key.public_key().public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo))
    result = CliRunner().invoke(cli_app, ["log", "verify", str(tmp_path / "b.db"), "--key", str(key)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK 47 records")


async def test_two_writers_on_one_chain_rebase_instead_of_forking(sink: AuditSink) -> None:
    """A reload's new writer starts while the old one still writes: conflicts re-chain, never fork."""
    await _fill(sink, events=3)
    old = AuditLog(sink, SIGNER, "gw-1", clock=FakeClock(), flush_interval=60)
    new = AuditLog(sink, SIGNER, "gw-1", clock=FakeClock(), flush_interval=60)
    await old.start()
    await new.start()  # both have read the same tail
    old.emit("config.reload", {"ok": True})
    await old.flush_once()
    new.emit("admin.action", {"action": "login"})
    with pytest.raises(Exception):  # the sink's own integrity error (sqlite3 or asyncpg)
        await new.flush_once()
    await new.flush_once()  # re-chained onto the other writer's batch
    await old.stop()
    await new.stop()
    result = verify_records(await sink.read_all(), SIGNER.public_text)
    assert result.ok, result.tamper
    assert [r.kind for r in await sink.read_all()][-4:] == ["config.reload", "checkpoint", "admin.action", "checkpoint"]


def test_cli_verifies_a_postgresql_dsn_and_names_the_modified_record() -> None:
    schema = f"bastion_audit_cli_{uuid.uuid4().hex[:10]}"
    table = f"{schema}.audit"

    async def fill() -> None:
        sink = open_sink(PG, table)
        await _fill(sink)
        await sink.close()

    async def tamper_and_drop(drop: bool) -> None:
        conn = await asyncpg.connect(PG)
        try:
            if drop:
                await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            else:
                await conn.execute(f"UPDATE {table} SET kind = 'auth.success' WHERE seq = 12")
        finally:
            await conn.close()

    asyncio.run(fill())
    try:
        ok = CliRunner().invoke(cli_app, ["log", "verify", PG, "--table", table])
        assert ok.exit_code == 0 and "OK 47 records" in ok.output, ok.output
        asyncio.run(tamper_and_drop(False))
        bad = CliRunner().invoke(cli_app, ["log", "verify", PG, "--table", table])
        assert bad.exit_code == 1 and "modified: chain 'gw-1' seq 12" in bad.output
    finally:
        asyncio.run(tamper_and_drop(True))
