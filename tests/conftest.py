"""Shared test configuration: anyio on asyncio, and SecurityWarnings as errors unless a test expects them."""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
