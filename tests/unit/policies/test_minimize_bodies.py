"""Unit: minimize body handling - compression, Content-Length, non-JSON, gateway problems, HEAD/204."""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import anyio
import orjson
import pytest

from bastion.chain.exchange import Exchange
from bastion.chain.policy import PolicyDeps
from bastion.errors import SecurityWarning
from bastion.http.problem import RATE_LIMITED
from bastion.policies.minimize import MinimizeConfig, MinimizePolicy
from bastion.testing.exchange import make_exchange

DOC = {"id": 1, "secret": "s", "name": "x"}


def policy(**config: Any) -> MinimizePolicy:
    return MinimizePolicy(MinimizeConfig.model_validate({"allow": ["id", "name"], **config}), PolicyDeps())


def exchange(raw: bytes, headers: list[tuple[str, str]], method: str = "GET", status: int = 200) -> Exchange:
    return make_exchange(method, "/x", response_status=status, response_headers=headers, response_body=raw)


def test_asks_upstream_for_identity_encoding() -> None:
    ex = make_exchange("GET", "/x", headers=[("accept-encoding", "gzip, br")])
    assert anyio.run(policy().on_request, ex) is None
    assert ex.forward_headers.get_all("accept-encoding") == ["identity"]


@pytest.mark.parametrize(("coding", "encode"), [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
    ("deflate, gzip", lambda b: gzip.compress(zlib.compress(b))),  # applied in order, undone in reverse
    ("identity", lambda b: b),
])
def test_decodes_compressed_upstream_bodies(coding: str, encode: Any) -> None:
    raw = encode(orjson.dumps(DOC))
    ex = exchange(raw, [("content-type", "application/json"), ("content-encoding", coding),
                        ("content-length", str(len(raw)))])
    assert anyio.run(policy().on_response, ex) is None
    assert orjson.loads(ex.response_body or b"") == {"id": 1, "name": "x"}
    assert ex.response is not None and "content-encoding" not in ex.response.headers
    assert ex.response.headers.get_all("content-length") == [str(len(ex.response_body or b""))]


def test_no_content_length_is_added_where_the_engine_frames_the_body() -> None:
    ex = exchange(orjson.dumps(DOC), [("content-type", "application/json")])
    anyio.run(policy().on_response, ex)
    assert ex.response is not None and "content-length" not in ex.response.headers


def test_refuses_a_compression_bomb() -> None:
    bomb = gzip.compress(b'{"a":"' + b"0" * (9 << 20) + b'"}')
    ex = exchange(bomb, [("content-type", "application/json"), ("content-encoding", "gzip")])
    problem = anyio.run(policy().on_response, ex)
    assert problem is not None and problem.status == 502


def test_refuses_unknown_content_coding() -> None:
    ex = exchange(b"\x00\x01", [("content-type", "application/json"), ("content-encoding", "br")])
    problem = anyio.run(policy().on_response, ex)
    assert problem is not None and problem.status == 502


def test_refuses_invalid_json() -> None:
    ex = exchange(b'{"id": 1, "secret": ', [("content-type", "application/json")])
    problem = anyio.run(policy().on_response, ex)
    assert problem is not None and problem.status == 502


@pytest.mark.parametrize("depth", [300, 1000])
def test_refuses_a_response_nested_past_the_limit(depth: int) -> None:
    """orjson reads 1,024 levels but writes 254: a response nested 300 deep was an unhandled encoder error."""
    ex = exchange(b'{"id":' + b"[" * depth + b"]" * depth + b"}", [("content-type", "application/json")])
    problem = anyio.run(policy().on_response, ex)
    assert problem is not None and problem.status == 502


def test_non_json_refused_by_default_and_passed_when_configured() -> None:
    csv = b"id,email\n1,ann@example.com\n"
    ex = exchange(csv, [("content-type", "text/csv")])
    problem = anyio.run(policy().on_response, ex)
    assert problem is not None and problem.status == 502
    ex = exchange(csv, [("content-type", "text/csv")])
    with pytest.warns(SecurityWarning, match="non_json"):
        passing = policy(non_json="pass")
    assert anyio.run(passing.on_response, ex) is None
    assert ex.response_body == csv


def test_json_suffix_media_types_are_minimized() -> None:
    ex = exchange(orjson.dumps(DOC), [("content-type", "application/vnd.shop+json; charset=utf-8")])
    anyio.run(policy().on_response, ex)
    assert orjson.loads(ex.response_body or b"") == {"id": 1, "name": "x"}


def test_gateway_problems_head_and_204_pass_untouched() -> None:
    ex = exchange(b'{"type":"x"}', [("content-type", "application/problem+json")], status=429)
    ex.problem = RATE_LIMITED.problem()
    assert anyio.run(policy().on_response, ex) is None and ex.response_body == b'{"type":"x"}'
    for method, status in (("HEAD", 200), ("GET", 204), ("GET", 304)):
        ex = exchange(b"", [("content-type", "application/json")], method=method, status=status)
        assert anyio.run(policy().on_response, ex) is None


def test_unchanged_body_keeps_its_validators() -> None:
    raw = orjson.dumps({"id": 1, "name": "x"})
    ex = exchange(raw, [("content-type", "application/json"), ("etag", '"v1"')])
    anyio.run(policy().on_response, ex)
    assert ex.response is not None and ex.response.headers.get("etag") == '"v1"' and ex.response_body == raw


def test_report_mode_records_but_forwards_unchanged() -> None:
    from bastion.chain.runner import CompiledChain

    with pytest.warns(SecurityWarning, match="report mode"):
        pol = policy(mode="report")
    raw = orjson.dumps(DOC)
    ex = exchange(raw, [("content-type", "application/json"), ("content-length", str(len(raw)))])
    assert anyio.run(CompiledChain([pol]).run_response, ex, 1) is None
    assert ex.response_body == raw and ex.response is not None
    assert ex.response.headers.get("content-length") == str(len(raw))
    assert [f.rule_id for f in ex.findings] == ["policy.minimize"]
    assert "secret" not in repr(ex.findings)
