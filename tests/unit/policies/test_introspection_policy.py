"""Unit: the introspection policy (RFC 7662) with a fake introspector port: activity, exp, caching, outage."""

from __future__ import annotations

from typing import Any

import pytest

from bastion.chain.policy import PolicyDeps
from bastion.policies.introspection import IntrospectionConfig, IntrospectionPolicy
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange
from bastion.tokens.jwks import FetchFailed

pytestmark = pytest.mark.anyio


class FakeIntrospector:
    max_cache_seconds = 60.0

    def __init__(self, answers: dict[str, dict[str, Any]]) -> None:
        self.answers = answers
        self.calls = 0
        self.down = False

    async def introspect(self, token: str) -> dict[str, Any]:
        self.calls += 1
        if self.down:
            raise FetchFailed("down")
        return self.answers.get(token, {"active": False})


def setup(answers: dict[str, dict[str, Any]], **config: Any) -> tuple[IntrospectionPolicy, FakeIntrospector, FakeClock]:
    clock, intro = FakeClock(), FakeIntrospector(answers)
    deps = PolicyDeps(clock=clock, services={"introspectors": {"corp": intro}})
    return IntrospectionPolicy(IntrospectionConfig(issuer="corp", **config), deps), intro, clock


def bearer(token: str) -> Any:
    return make_exchange(headers=[("authorization", f"Bearer {token}")])


async def test_active_token_authenticates_and_is_cached_until_max() -> None:
    exp = 1_800_000_000 + 3600
    p, intro, clock = setup({"opaque1": {"active": True, "sub": "u1", "scope": "a b", "exp": exp}}, scopes=["a"])
    ex = bearer("opaque1")
    assert await p.on_request(ex) is None and ex.principal is not None and ex.principal.subject == "u1"
    assert await p.on_request(bearer("opaque1")) is None and intro.calls == 1
    clock.advance(61)
    assert await p.on_request(bearer("opaque1")) is None and intro.calls == 2


@pytest.mark.parametrize("answer", [{"active": False}, {"active": "true"}, {"active": 1},
                                    {"active": True, "exp": 1_700_000_000}, {"active": True, "exp": "x"}])
async def test_inactive_or_odd_answers_are_401(answer: dict[str, Any]) -> None:
    p, _, _ = setup({"t": answer})
    problem = await p.on_request(bearer("t"))
    assert problem is not None and problem.status == 401


async def test_cache_never_outlives_exp() -> None:
    p, intro, clock = setup({"t": {"active": True, "exp": 1_800_000_010}})
    assert await p.on_request(bearer("t")) is None
    clock.advance(11)
    assert (await p.on_request(bearer("t"))) is not None and intro.calls == 2


async def test_missing_scope_is_403_and_outage_is_503() -> None:
    p, intro, _ = setup({"t": {"active": True, "scope": "a"}}, scopes=["b"])
    problem = await p.on_request(bearer("t"))
    assert problem is not None and problem.status == 403
    intro.down = True
    problem = await p.on_request(bearer("other"))
    assert problem is not None and problem.status == 503
