"""Shared by the per-split ``test_detection_freshNN_shapes.py`` files: each holds tables of values by shape (what
must be refused, what must pass) and binds the two table tests this module builds::

    test_rejected, test_passed = shape_tests(REJECTED, PASSED)

pytest collects the two functions under those names in that file, parametrized by the file's own values."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS: tuple[Context, ...] = (BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"))

Table = Mapping[str, Sequence[str]] | Sequence[str]
TableTest = Callable[[Engine, str], None]


def values(table: Table) -> list[str]:
    """The values of a table: a list, or lists by shape name."""
    if isinstance(table, Mapping):
        return [v for vs in table.values() for v in vs]
    return list(table)


def refused_everywhere(engine: Engine, value: str, contexts: Sequence[Context] = CONTEXTS,
                       line_breaks_in_headers: bool = False) -> None:
    """Refused in every context. A header or cookie value cannot hold a line break (the server refuses the request
    before any policy runs), so those contexts are skipped for such a value unless ``line_breaks_in_headers``."""
    for ctx in contexts:
        if not line_breaks_in_headers and ctx.kind in ("header", "cookie") and ("\n" in value or "\r" in value):
            continue
        assert engine.inspect(value, ctx) is not None, (value, ctx)


def passes_everywhere(engine: Engine, value: str, contexts: Sequence[Context] = (BODY,)) -> None:
    for ctx in contexts:
        assert engine.inspect(value, ctx) is None, (value, ctx)


def shape_tests(rejected: Table, passed: Table, contexts: Sequence[Context] = CONTEXTS,
                passed_in: Sequence[Context] = (BODY,), *,
                line_breaks_in_headers: bool = False) -> tuple[TableTest, TableTest]:
    """``test_rejected`` (each value of ``rejected`` refused in every one of ``contexts``) and ``test_passed``
    (each value of ``passed`` let through in every one of ``passed_in``)."""

    @pytest.mark.parametrize("value", values(rejected))
    def test_rejected(engine: Engine, value: str) -> None:
        refused_everywhere(engine, value, contexts, line_breaks_in_headers)

    @pytest.mark.parametrize("value", values(passed))
    def test_passed(engine: Engine, value: str) -> None:
        passes_everywhere(engine, value, passed_in)

    return test_rejected, test_passed
