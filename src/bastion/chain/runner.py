"""The compiled chain and its runner: the phase rules for one route, in one place.

Phases (see ``chain/policy.py`` for the contract each hook follows):

    request   ─ on_request in chain order; a Problem stops (enforce) or becomes a finding (report)
    forward   ─ done by the engine, the only I/O, and only when the request phase let it through
    response  ─ on_response in reverse order, only for policies whose on_request was entered
    complete  ─ on_complete for every policy, after sending; errors are logged, never raised

When the request is traced (``ex.trace``), each request and response hook is reported as a span.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bastion.chain.exchange import Decision, Exchange
from bastion.chain.policy import Mode, Policy
from bastion.findings.model import Finding, Location, Severity
from bastion.http.problem import INTERNAL_ERROR, Problem

log = logging.getLogger("bastion.chain")


class CompiledChain:
    """A route's policies, flattened once at config load. Immutable after construction."""

    __slots__ = ("_responds", "authenticated", "completers", "needs_request_body", "needs_response_body",
                 "policies", "responds")

    def __init__(self, policies: Sequence[Policy]) -> None:
        self.policies: tuple[Policy, ...] = tuple(policies)
        self.needs_request_body = any(p.needs_request_body for p in self.policies)
        self.needs_response_body = any(p.needs_response_body for p in self.policies)
        self.authenticated = any(p.authenticates for p in self.policies)
        # Most policies only act on the request; the base hooks do nothing, so they are not awaited at all.
        self._responds = tuple(type(p).on_response is not Policy.on_response for p in self.policies)
        self.responds = any(self._responds)
        """Some policy has a response hook: the engine runs the response phase only then."""
        self.completers = tuple(p for p in self.policies if type(p).on_complete is not Policy.on_complete)

    def __len__(self) -> int:
        return len(self.policies)

    async def run_request(self, ex: Exchange) -> tuple[Problem | None, int]:
        """Run the request phase. Returns the stopping problem (if any) and how many policies were entered."""
        entered = 0
        trace = ex.trace
        for policy in self.policies:
            entered += 1
            started = trace.clock() if trace is not None else 0
            try:
                problem = await policy.on_request(ex)
            except Exception:
                log.exception("policy %s failed in on_request (route %s)", policy.name, ex.route.route_id)
                ex.decisions.append(Decision(policy.name, "error", "exception"))
                if trace is not None:
                    trace.policy_span(policy, "request", started, None, error=True)
                return INTERNAL_ERROR.problem(), entered
            if trace is not None:
                trace.policy_span(policy, "request", started, problem)
            if problem is None:
                continue
            if policy.mode is Mode.REPORT:
                _record_report(ex, policy, problem)
                continue
            ex.decisions.append(Decision(policy.name, "deny" if problem.status >= 400 else "respond", problem.title))
            return problem, entered
        return None, entered

    async def run_response(self, ex: Exchange, entered: int) -> Problem | None:
        """Run the response phase in reverse over the entered policies."""
        trace = ex.trace
        for index in range(min(entered, len(self.policies)) - 1, -1, -1):
            if not self._responds[index]:
                continue
            policy = self.policies[index]
            started = trace.clock() if trace is not None else 0
            try:
                problem = await policy.on_response(ex)
            except Exception:
                log.exception("policy %s failed in on_response (route %s)", policy.name, ex.route.route_id)
                ex.decisions.append(Decision(policy.name, "error", "exception"))
                if trace is not None:
                    trace.policy_span(policy, "response", started, None, error=True)
                return INTERNAL_ERROR.problem()
            if trace is not None:
                trace.policy_span(policy, "response", started, problem)
            if problem is None:
                continue
            if policy.mode is Mode.REPORT:
                _record_report(ex, policy, problem)
                continue
            ex.decisions.append(Decision(policy.name, "deny", problem.title))
            return problem
        return None

    async def run_complete(self, ex: Exchange) -> int:
        """Run every policy's completion hook. Returns the number of hooks that raised."""
        errors = 0
        for policy in self.completers:
            try:
                await policy.on_complete(ex)
            except Exception:
                errors += 1
                log.exception("policy %s failed in on_complete (route %s)", policy.name, ex.route.route_id)
        return errors


def _record_report(ex: Exchange, policy: Policy, problem: Problem) -> None:
    ex.decisions.append(Decision(policy.name, "report", problem.title))
    ex.findings.append(
        Finding(
            rule_id=f"policy.{policy.name}",
            title=problem.title,
            severity=Severity.MEDIUM,
            owasp="",
            cwe=None,
            message=problem.detail or problem.title,
            location=Location(method=ex.request.method, url=ex.request.path, operation=ex.route.route_id),
        )
    )
