"""Integration: kill -9 an audit writer process mid-stream; what was committed survives, the chain
still verifies, at most the un-flushed tail is missing, and a restarted writer continues the chain."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bastion.observability.audit.record import AuditRecord
from bastion.observability.audit.signing import load_or_create_signer
from bastion.observability.audit.sink import open_sink
from bastion.observability.audit.verify import verify_records
from bastion.observability.audit.writer import AuditLog

pytestmark = pytest.mark.integration
BATCH, MAX_PENDING = 16, 200

WRITER = textwrap.dedent(f"""
    import asyncio, sys
    from pathlib import Path
    from bastion.observability.audit.signing import load_or_create_signer
    from bastion.observability.audit.sink import open_sink
    from bastion.observability.audit.writer import AuditLog

    async def main(db, state):
        log = AuditLog(open_sink(db), load_or_create_signer(None, Path(state)), "crash",
                       batch_size={BATCH}, flush_interval=0.02, max_pending={MAX_PENDING},
                       on_commit=lambda cp: print("committed", cp.seq, flush=True))
        await log.start()
        i = 0
        while True:
            for _ in range(5):
                log.emit("auth.failure", {{"i": i}})
                i += 1
            print("accepted", i - log.dropped, flush=True)  # shed load (counted, audited) is not accepted
            await asyncio.sleep(0.001)

    asyncio.run(main(sys.argv[1], sys.argv[2]))
""")


def _read(db: Path) -> list[AuditRecord]:
    async def go() -> list[AuditRecord]:
        sink = open_sink(str(db))
        try:
            return await sink.read_all()
        finally:
            await sink.close()

    return asyncio.run(go())


def test_sigkill_loses_at_most_the_unflushed_tail_and_the_chain_verifies(tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    db, state = tmp_path / "audit.db", tmp_path / "state"
    proc = subprocess.Popen([sys.executable, str(script), str(db), str(state)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    committed = accepted = 0
    deadline = time.monotonic() + 30
    try:
        while committed < 400 and time.monotonic() < deadline:
            kind, _, n = proc.stdout.readline().partition(" ")
            if kind == "committed":
                committed = int(n)
            elif kind == "accepted":
                accepted = int(n)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert committed >= 400, "the writer never got going"

    records = _read(db)
    result = verify_records(records)
    assert result.ok, result.tamper
    assert records[-1].seq >= committed  # everything reported committed is there
    events = sum(1 for r in records if r.kind == "auth.failure")
    assert accepted - events <= MAX_PENDING + BATCH  # bounded loss: the queue and the batch in flight

    async def restart() -> None:  # a new writer continues the same chain after the crash
        log = AuditLog(open_sink(str(db)), load_or_create_signer(None, state), "crash", flush_interval=0.01)
        await log.start()
        log.emit("config.reload", {"ok": True, "file": "bastion.yaml"})
        await log.stop()

    asyncio.run(restart())
    after = verify_records(_read(db))
    assert after.ok and after.records == len(records) + 2
