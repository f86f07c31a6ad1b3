"""Unit: the time-based checks judge the elapsed times the engine reports (no clock, no sleeping)."""

from __future__ import annotations

import re
from dataclasses import replace

from scanner_support import context, drive, ok

from bastion.scanner.messages import ProbeRequest, ProbeResponse
from bastion.scanner.probes.command import CommandInjectionProbe
from bastion.scanner.probes.redos import RedosProbe
from bastion.scanner.probes.sql import SqlInjectionProbe

SLEEP = re.compile(r"(?:sleep|SLEEP|pg_sleep)\(?\s?(\d)")


def sleeping_api(param: str, path: str):  # type: ignore[no-untyped-def]
    """An API whose ``param`` on ``path`` is executed: a sleep in it delays the answer."""
    def respond(request: ProbeRequest) -> ProbeResponse:
        if request.path != path:
            return ProbeResponse(404)
        value = dict(request.query).get(param, "")
        match = SLEEP.search(value)
        return replace(ok({"items": []}), elapsed=0.01 + (int(match.group(1)) if match else 0))
    return respond


def test_os_command_injection_found_by_a_delay_that_sleep_0_removes() -> None:
    ctx = context(a="token-a")
    drive(CommandInjectionProbe().run(ctx), sleeping_api("host", "/api/v1/tools/hosts"))
    assert [(f.rule_id, f.location.operation) for f in ctx.findings] == [
        ("injection.os-command", "GET /api/v1/tools/hosts")]


def test_sql_time_based_found_when_errors_and_booleans_show_nothing() -> None:
    ctx = context()
    ctx.allow_unsafe = False
    drive(SqlInjectionProbe().run(ctx), sleeping_api("search", "/api/v1/products"))
    assert [(f.rule_id, f.evidence.notes if f.evidence else "") for f in ctx.findings] == [
        ("injection.sql", "technique: time based")]


def test_a_uniformly_slow_api_is_not_injection() -> None:
    ctx = context(a="token-a")
    drive(CommandInjectionProbe().run(ctx), lambda r: replace(ok({}), elapsed=3.0))
    assert ctx.findings == []


def test_redos_needs_superlinear_growth_twice() -> None:
    def backtracking(request: ProbeRequest) -> ProbeResponse:
        email = dict(request.query).get("email", "")
        return replace(ok({"valid": False}), elapsed=2.0 ** (len(email) - 26) * 2 if email.startswith("aaa") else 0.01)

    ctx = context()
    drive(RedosProbe().run(ctx), backtracking)
    assert [f.location.operation for f in ctx.findings] == ["GET /api/v1/newsletter/check"]
    linear = context()
    drive(RedosProbe().run(linear), lambda r: replace(ok({}), elapsed=0.9))
    assert linear.findings == []


def test_a_single_slow_answer_to_the_sleep_is_not_injection_when_it_does_not_repeat() -> None:
    """The target's own latency wanders (a fetch or DNS lookup it makes): the first sleep payload is
    slow by chance, sleep 0 is quick, and the same sleep payload again is quick too."""
    ctx = context()
    ctx.allow_unsafe = False
    slow_once: list[ProbeRequest] = []

    def respond(request: ProbeRequest) -> ProbeResponse:
        value = dict(request.query).get("search", "")
        match = SLEEP.search(value)
        lucky = match is not None and match.group(1) != "0" and not slow_once
        if lucky:
            slow_once.append(request)
        return replace(ok({"items": []}), elapsed=5.0 if lucky else 0.01)

    drive(SqlInjectionProbe().run(ctx), lambda r: respond(r) if r.path == "/api/v1/products" else ProbeResponse(404))
    assert slow_once, "the first sleep payload was answered slowly"
    assert ctx.findings == []
