"""Unit: the chain runner's phase rules with recording policies (no sockets)."""

from __future__ import annotations

from typing import ClassVar

import pytest

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Mode, Policy, PolicyConfig, PolicyDeps
from bastion.chain.runner import CompiledChain
from bastion.http.problem import FORBIDDEN, INTERNAL_ERROR, UPSTREAM_INVALID, Problem
from bastion.testing.exchange import make_exchange

pytestmark = pytest.mark.anyio


class Recorder(Policy):
    name: ClassVar[str] = "recorder"

    def __init__(self, label: str, log: list[str], *, deny: bool = False, fail: str = "", mode: Mode = Mode.ENFORCE,
                 deny_response: bool = False) -> None:
        super().__init__(PolicyConfig(mode=mode), PolicyDeps())
        self.label, self.log, self.deny, self.fail, self.deny_response = label, log, deny, fail, deny_response

    async def on_request(self, ex: Exchange) -> Problem | None:
        self.log.append(f"req:{self.label}")
        if self.fail == "request":
            raise RuntimeError("boom")
        return FORBIDDEN.problem("no") if self.deny else None

    async def on_response(self, ex: Exchange) -> Problem | None:
        self.log.append(f"resp:{self.label}")
        if self.fail == "response":
            raise RuntimeError("boom")
        return UPSTREAM_INVALID.problem() if self.deny_response else None

    async def on_complete(self, ex: Exchange) -> None:
        self.log.append(f"done:{self.label}")
        if self.fail == "complete":
            raise RuntimeError("boom")


async def test_request_in_order_response_in_reverse_complete_for_all() -> None:
    log: list[str] = []
    chain = CompiledChain([Recorder("a", log), Recorder("b", log), Recorder("c", log)])
    ex = make_exchange()
    problem, entered = await chain.run_request(ex)
    assert problem is None and entered == 3
    assert await chain.run_response(ex, entered) is None
    assert await chain.run_complete(ex) == 0
    assert log == ["req:a", "req:b", "req:c", "resp:c", "resp:b", "resp:a", "done:a", "done:b", "done:c"]


async def test_short_circuit_stops_forwarding_and_unwinds_only_entered() -> None:
    log: list[str] = []
    chain = CompiledChain([Recorder("a", log), Recorder("b", log, deny=True), Recorder("c", log)])
    ex = make_exchange()
    problem, entered = await chain.run_request(ex)
    assert problem is not None and problem.status == 403 and entered == 2
    await chain.run_response(ex, entered - 1)
    await chain.run_complete(ex)
    assert log == ["req:a", "req:b", "resp:a", "done:a", "done:b", "done:c"]
    assert [(d.policy, d.outcome) for d in ex.decisions] == [("recorder", "deny")]


async def test_report_mode_records_a_finding_and_continues() -> None:
    log: list[str] = []
    chain = CompiledChain([Recorder("a", log, deny=True, mode=Mode.REPORT), Recorder("b", log)])
    ex = make_exchange()
    problem, entered = await chain.run_request(ex)
    assert problem is None and entered == 2
    assert ex.findings[0].rule_id == "policy.recorder"
    assert ex.decisions[0].outcome == "report"


@pytest.mark.parametrize("phase", ["request", "response"])
async def test_exception_fails_closed_with_500(phase: str) -> None:
    log: list[str] = []
    chain = CompiledChain([Recorder("a", log, fail=phase)])
    ex = make_exchange()
    problem, entered = await chain.run_request(ex)
    if phase == "request":
        assert problem is not None and problem.type == INTERNAL_ERROR.uri
        return
    problem = await chain.run_response(ex, entered)
    assert problem is not None and problem.status == 500
    assert "boom" not in (problem.detail or "")


async def test_exception_in_complete_is_counted_not_raised() -> None:
    log: list[str] = []
    chain = CompiledChain([Recorder("a", log, fail="complete"), Recorder("b", log)])
    assert await chain.run_complete(make_exchange()) == 1
    assert log == ["done:a", "done:b"]


async def test_response_problem_replaces_response() -> None:
    chain = CompiledChain([Recorder("a", [], deny_response=True)])
    ex = make_exchange(response_status=200, response_body=b"{}")
    _, entered = await chain.run_request(ex)
    problem = await chain.run_response(ex, entered)
    assert problem is not None and problem.status == 502


def test_chain_flags_are_computed_once() -> None:
    class Body(Policy):
        needs_request_body = True

    class Auth(Policy):
        authenticates = True

    chain = CompiledChain([Body(PolicyConfig(), PolicyDeps()), Auth(PolicyConfig(), PolicyDeps())])
    assert chain.needs_request_body and chain.authenticated and not chain.needs_response_body
