"""Shared by the detection tests: one compiled engine for the whole session (each compile of the prefilter takes
most of a second, and every ``*_shapes.py`` file used to build its own)."""

from __future__ import annotations

import pytest

from bastion.detection import Engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()
