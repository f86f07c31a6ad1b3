"""Unit: the methods allow-list answers 405 with Allow, and TRACE/TRACK/CONNECT can never be allowed."""

from __future__ import annotations

from typing import Any

import pytest

from bastion.chain.policy import PolicyDeps
from bastion.chain.registry import build_policy
from bastion.errors import ConfigError
from bastion.testing.exchange import make_exchange


def make(**raw: Any) -> Any:
    return build_policy("methods", raw, PolicyDeps(), "routes[0].policies[0]")


@pytest.mark.parametrize(
    ("method", "allowed"),
    [("GET", True), ("HEAD", True), ("POST", True), ("DELETE", False), ("TRACE", False), ("get", False),
     ("PROPFIND", False)],
)
@pytest.mark.anyio
async def test_allow_list(method: str, allowed: bool) -> None:
    problem = await make(allow=["GET", "POST"]).on_request(make_exchange(method))
    if allowed:
        assert problem is None
    else:
        assert problem is not None and problem.status == 405
        assert dict(problem.headers)["allow"] == "GET, HEAD, POST"


@pytest.mark.anyio
async def test_head_can_be_excluded() -> None:
    problem = await make(allow=["GET"], head=False).on_request(make_exchange("HEAD"))
    assert problem is not None and dict(problem.headers)["allow"] == "GET"


@pytest.mark.parametrize("bad", [["TRACE"], ["GET", "TRACK"], ["CONNECT"], ["get"], [], ["G E T"]])
def test_dangerous_or_malformed_methods_are_config_errors(bad: list[str]) -> None:
    with pytest.raises(ConfigError) as info:
        make(allow=bad)
    assert info.value.path == "routes[0].policies[0].methods"
