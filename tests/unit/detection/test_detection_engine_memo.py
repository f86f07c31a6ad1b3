"""Unit: ``Engine.first`` remembers header values and path segments that passed every analyser (``MEMO_KINDS``), so a
client's ``User-Agent`` or a route's fixed segment is analysed once, not on every request; attacks, credentials,
body values and long values are analysed every time, and a changed context or skip set is a different question."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bastion.detection import Context, Engine
from bastion.detection import engine as engine_module
from bastion.detection.fields import Field

UA = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
"""Holds ``;``: the prefilter sends it to the SQL and command analysers."""


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Every analyser call, as (class, value)."""
    seen: list[tuple[str, str]] = []
    for cls, analyser in list(engine_module.ANALYSERS.items()):
        def spy(v: str, c: Context, cls: str = cls, analyser: engine_module.Analyser = analyser) -> object:
            seen.append((cls, v))
            return analyser(v, c)
        monkeypatch.setitem(engine_module.ANALYSERS, cls, spy)
    yield seen


def analysed(calls: list[tuple[str, str]], value: str) -> int:
    return sum(1 for _, v in calls if v == value)


def test_a_header_value_that_passed_is_not_analysed_again(calls: list[tuple[str, str]]) -> None:
    engine = Engine()
    fields: list[Field] = [("/headers/user-agent", UA, Context("header", "user-agent"))]
    assert engine.first(fields) is None
    first = analysed(calls, UA)
    assert first >= 1
    assert engine.first(fields) is None
    assert engine.first(fields) is None
    assert analysed(calls, UA) == first


def test_a_path_segment_that_passed_is_remembered_but_not_a_body_value(calls: list[tuple[str, str]]) -> None:
    engine = Engine()
    path: list[Field] = [("/path/1", "echo", Context("path"))]
    body: list[Field] = [("/body/note", "see you at 5; bring the echo", Context("body", "note"))]
    for _ in range(3):
        assert engine.first(path) is None
        assert engine.first(body) is None
    assert 1 <= analysed(calls, "echo") <= 2  # the first request's analysis only (one call per triggered class)
    assert analysed(calls, "see you at 5; bring the echo") >= 3  # analysed on every request


def test_an_attack_in_a_header_is_refused_every_time() -> None:
    engine = Engine()
    fields: list[Field] = [("/headers/x-forwarded-for", "1' or '1'='1' -- ", Context("header", "x-forwarded-for"))]
    for _ in range(3):
        hit = engine.first(fields)
        assert hit is not None and hit[1].rule.attack == "sqli"


@pytest.mark.parametrize("name", ["authorization", "x-api-key", "x-amz-security-token", "cookie", "x-session-id"])
def test_credential_headers_are_never_kept(name: str) -> None:
    engine = Engine()
    value = "Bearer abc; scope=orders"
    assert engine.first([("/headers/" + name, value, Context("header", name))]) is None
    assert engine.first([("/headers/" + name, value, Context("header", name))]) is None
    assert all(key[0] != value for key in engine._passed)


def test_a_long_header_value_is_not_kept() -> None:
    engine = Engine()
    value = "a; " * (engine_module.MEMO_MAX_CHARS // 3 + 1)
    assert engine.first([("/headers/x-note", value, Context("header", "x-note"))]) is None
    assert not engine._passed


def test_a_value_that_passed_with_a_class_skipped_is_judged_again_without_the_skip() -> None:
    engine = Engine()
    value = "1 union select password from users"
    fields: list[Field] = [("/headers/x-q", value, Context("header", "x-q"))]
    assert engine.first(fields, skip_for=lambda pointer: frozenset({"sqli"})) is None
    hit = engine.first(fields)
    assert hit is not None and hit[1].rule.attack == "sqli"


def test_the_same_value_in_another_context_is_judged_in_that_context() -> None:
    engine = Engine()
    value = "169.254.169.254"
    assert engine.first([("/headers/x-trace", value, Context("header", "x-trace"))]) is None
    hit = engine.first([("/headers/host", value, Context("header", "host"))])
    assert hit is not None and hit[1].rule.attack == "ssrf"  # a metadata address where a proxy routes by it


def test_the_memo_is_bounded() -> None:
    engine = Engine()
    for n in range(engine_module.MEMO_ENTRIES + 10):
        note = Context("header", "x-request-note")
        assert engine.first([("/headers/x-request-note", f"client {n}; ok", note)]) is None
    assert 0 < len(engine._passed) <= engine_module.MEMO_ENTRIES
