"""Unit: the audit writer sleeps without a timer while nothing is pending (a gateway whose traffic raises
no audit event pays nothing for it), and the first event after an idle stretch is still written about
``flush_interval`` later, batched with what follows it; ``stop()`` writes what is pending at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bastion.observability.audit.signing import CheckpointSigner
from bastion.observability.audit.sink import open_sink
from bastion.observability.audit.verify import verify_records
from bastion.observability.audit.writer import AuditLog
from bastion.testing.clock import FakeClock

pytestmark = pytest.mark.anyio
SIGNER = CheckpointSigner.generate()


async def _until(cond: object, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not cond():  # type: ignore[operator]
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_idle_writer_keeps_no_timer_and_still_writes_the_next_event(tmp_path: Path) -> None:
    sink = open_sink(f"sqlite:///{tmp_path}/audit.db")
    log = AuditLog(sink, SIGNER, "gw", clock=FakeClock(), flush_interval=0.05)
    await log.start()
    await _until(lambda: log.written == 2)  # genesis + its checkpoint
    await _until(lambda: log._idle)
    assert log._task is not None
    waiting_on = log._task.get_stack()[-1]
    assert waiting_on.f_code.co_name == "_run" and log._wake is not None and not log._wake.is_set()
    loop = asyncio.get_running_loop()
    timers = [h for h in getattr(loop, "_scheduled", []) if not h.cancelled()]
    assert timers == [], "an idle audit writer must not poll"

    log.emit("test.first", {"n": 1})
    log.emit("test.second", {"n": 2})
    assert not log._idle
    await _until(lambda: log.written == 5)  # both events in one batch, one checkpoint
    await _until(lambda: log._idle)
    await log.stop()
    records = await open_sink(f"sqlite:///{tmp_path}/audit.db").read_all()
    assert [r.kind for r in records][-3:] == ["test.first", "test.second", "checkpoint"]
    assert verify_records(records).ok


async def test_stop_does_not_wait_out_flush_interval_and_writes_what_is_pending(tmp_path: Path) -> None:
    log = AuditLog(open_sink(f"sqlite:///{tmp_path}/audit.db"), SIGNER, "gw", clock=FakeClock(),
                   flush_interval=60)
    await log.start()
    await asyncio.sleep(0)
    log.emit("test.pending", {})  # wakes the writer, which then waits flush_interval for more
    await asyncio.wait_for(log.stop(), timeout=5)  # stop() does not wait out the 60 s
    assert log.written == 3 and log.depth == 0  # genesis, the event, the checkpoint
