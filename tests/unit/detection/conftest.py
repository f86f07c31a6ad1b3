"""Shared by the detection tests: one compiled engine for the whole session (each compile of the prefilter takes
most of a second, and every ``*_shapes.py`` file used to build its own)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from bastion.detection import Context, Engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="session")
def inspect_seconds(engine: Engine) -> Callable[[str, Context], float]:
    """CPU seconds ``engine.inspect`` takes on a value, the fastest of three runs, the garbage collector paused: other
    load on the machine (waiting for a core) and the size of the test process's heap do not count. For the linearity
    tests."""

    def seconds(value: str, ctx: Context) -> float:
        best = float("inf")
        gc.disable()  # a collection that falls into a timed run walks the whole test process's heap: not the scan's
        try:
            for _ in range(3):
                started = time.process_time()
                engine.inspect(value, ctx)
                best = min(best, time.process_time() - started)
        finally:
            gc.enable()
        return best

    return seconds
