"""Unit: the compiled prefilter database is cached on disk, loaded only from a private folder, and recompiled when the
cached copy is unusable (``prefilter.cache_dir``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import hyperscan
import pytest

from bastion.detection.prefilter import Prefilter

TRIGGERS = {"sqli": rb"union\s+select|['\"]", "xss": rb"<script"}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BASTION_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts Hyperscan compiles: a ``Database`` is only constructed to compile one (``loadb`` makes its own)."""
    calls: list[int] = []
    real = hyperscan.Database

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hyperscan, "Database", counted)
    return calls


def _answers(p: Prefilter) -> list[set[str]]:
    return [p.scan("1 UNION  SELECT 2"), p.scan("<SCRIPT>"), p.scan("plain words"), p.scan("O'Brien")]


EXPECTED = [{"sqli"}, {"xss"}, set(), {"sqli"}]


def test_a_compiled_database_is_stored_then_loaded_without_compiling(cache: Path, compiles: list[int]) -> None:
    first = Prefilter(TRIGGERS)
    assert first.backend == "hyperscan" and len(compiles) == 1
    stored = list(cache.glob("prefilter-*.hsdb"))
    assert len(stored) == 1 and stored[0].stat().st_mode & 0o077 == 0 and cache.stat().st_mode & 0o077 == 0
    second = Prefilter(TRIGGERS)
    assert second.backend == "hyperscan" and len(compiles) == 1  # loaded, not compiled
    assert _answers(second) == _answers(first) == EXPECTED


def test_a_changed_trigger_is_compiled_afresh(cache: Path, compiles: list[int]) -> None:
    Prefilter(TRIGGERS)
    changed = Prefilter({**TRIGGERS, "xss": rb"<script|onerror\s*="})
    assert len(compiles) == 2 and len(list(cache.glob("prefilter-*.hsdb"))) == 2
    assert changed.scan("x onerror=y") == {"xss"}


def test_a_corrupt_cached_database_is_compiled_again_and_replaced(cache: Path, compiles: list[int]) -> None:
    Prefilter(TRIGGERS)
    (stored,) = cache.glob("prefilter-*.hsdb")
    stored.write_bytes(b"\x00garbage" * 100)
    again = Prefilter(TRIGGERS)
    assert again.backend == "hyperscan" and len(compiles) == 2 and _answers(again) == EXPECTED
    assert stored.read_bytes() != b"\x00garbage" * 100


def test_a_cache_folder_others_can_write_is_neither_read_nor_written(cache: Path, compiles: list[int]) -> None:
    Prefilter(TRIGGERS)
    (stored,) = cache.glob("prefilter-*.hsdb")
    os.chmod(cache, 0o777)  # the unsafe folder under test
    stored.write_bytes(b"planted by another user")
    loaded = Prefilter(TRIGGERS)
    assert len(compiles) == 2 and _answers(loaded) == EXPECTED
    assert stored.read_bytes() == b"planted by another user"  # not replaced either: nothing is written there


def test_a_cached_file_others_can_write_is_not_loaded(cache: Path, compiles: list[int]) -> None:
    Prefilter(TRIGGERS)
    (stored,) = cache.glob("prefilter-*.hsdb")
    os.chmod(stored, 0o666)  # the unsafe file under test
    Prefilter(TRIGGERS)
    assert len(compiles) == 2


def test_an_unwritable_cache_only_costs_the_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    compiles: list[int]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("BASTION_CACHE_DIR", str(blocker / "cache"))
    p = Prefilter(TRIGGERS)
    assert p.backend == "hyperscan" and _answers(p) == EXPECTED and len(compiles) == 1
