"""Unit: request_minimize strips request fields a third-party API does not need and redacts PII."""

from __future__ import annotations

import gzip
from typing import Any

import anyio
import orjson
import pytest

from bastion.chain.exchange import Exchange
from bastion.chain.policy import PolicyDeps
from bastion.chain.registry import build_policy
from bastion.errors import ConfigError
from bastion.policies.request_minimize import RequestMinimizeConfig, RequestMinimizePolicy
from bastion.testing.exchange import make_exchange

ORDER = {
    "amount": 1250, "currency": "EUR",
    "card": {"number": "4111111111111111", "exp": "12/30"},
    "customer": {"id": 9, "email": "ann@example.com", "phone": "+44 20 7946 0958", "ssn": "123-45-6789"},
    "note": "ship to ann@example.com",
    "internal": {"margin": 0.3},
}


def run(config: dict[str, Any], body: bytes, headers: list[tuple[str, str]] | None = None) -> tuple[Any, Exchange]:
    pol = RequestMinimizePolicy(RequestMinimizeConfig.model_validate(config), PolicyDeps())
    hdrs = headers if headers is not None else [("content-type", "application/json"),
                                                 ("content-length", str(len(body)))]
    ex = make_exchange("POST", "/charges", headers=hdrs, body=body, upstream="payments")
    return anyio.run(pol.on_request, ex), ex


def test_allow_list_strips_fields_the_destination_does_not_need() -> None:
    problem, ex = run({"allow": ["amount", "currency", "card", "customer.id"]}, orjson.dumps(ORDER))
    assert problem is None
    assert orjson.loads(ex.request_body or b"") == {"amount": 1250, "currency": "EUR",
                                                    "card": ORDER["card"], "customer": {"id": 9}}
    assert ex.forward_headers.get_all("content-length") == [str(len(ex.request_body or b""))]


def test_no_content_length_is_added_where_the_engine_frames_the_body() -> None:
    pol = RequestMinimizePolicy(RequestMinimizeConfig.model_validate({"allow": ["amount"]}), PolicyDeps())
    ex = make_exchange("POST", "/charges", headers=[("content-type", "application/json")], body=orjson.dumps(ORDER))
    anyio.run(pol.on_request, ex)
    assert "content-length" not in ex.forward_headers and ex.request_body == b'{"amount":1250}'


def test_pii_categories_redacted_before_forwarding() -> None:
    problem, ex = run({"pii": {"email": "redact", "phone": "drop", "ssn": "redact"}}, orjson.dumps(ORDER))
    out = orjson.loads(ex.request_body or b"")
    assert problem is None
    assert out["customer"]["email"] == "[REDACTED:email]" and "phone" not in out["customer"]
    assert out["note"] == "ship to [REDACTED:email]" and "123-45-6789" not in repr(out)
    assert out["card"] == ORDER["card"]  # not a configured category: forwarded


def test_blocked_category_refuses_the_request() -> None:
    problem, _ = run({"pii": {"ssn": "block"}}, orjson.dumps(ORDER))
    assert problem is not None and problem.status == 403 and "123-45-6789" not in repr(problem)


def test_gzip_request_bodies_are_decoded_and_sent_as_identity() -> None:
    raw = gzip.compress(orjson.dumps(ORDER))
    _, ex = run({"allow": ["amount"]}, raw, [("content-type", "application/json"), ("content-encoding", "gzip")])
    assert orjson.loads(ex.request_body or b"") == {"amount": 1250}
    assert "content-encoding" not in ex.forward_headers


def test_non_json_and_invalid_json() -> None:
    problem, _ = run({"allow": ["a"]}, b"a=1", [("content-type", "application/x-www-form-urlencoded")])
    assert problem is not None and problem.status == 415
    problem, ex = run({"allow": ["a"], "non_json": "pass"}, b"a=1", [("content-type", "text/plain")])
    assert problem is None and ex.request_body == b"a=1"
    problem, _ = run({"allow": ["a"]}, b"{not json", [("content-type", "application/json")])
    assert problem is not None and problem.status == 422


def test_config_needs_a_rule_and_is_registered() -> None:
    with pytest.raises(ConfigError, match="nothing to do"):
        build_policy("request_minimize", {}, PolicyDeps(), "p")
    assert isinstance(build_policy("request_minimize", {"allow": ["a"]}, PolicyDeps(), "p"), RequestMinimizePolicy)
    assert RequestMinimizePolicy.needs_request_body


def test_report_mode_forwards_unchanged_and_records() -> None:
    from bastion.chain.runner import CompiledChain
    from bastion.errors import SecurityWarning

    with pytest.warns(SecurityWarning, match="report mode"):
        pol = RequestMinimizePolicy(RequestMinimizeConfig.model_validate({"allow": ["amount"], "mode": "report"}),
                                    PolicyDeps())
    raw = orjson.dumps(ORDER)
    ex = make_exchange("POST", "/charges", headers=[("content-type", "application/json")], body=raw)
    problem, _ = anyio.run(CompiledChain([pol]).run_request, ex)
    assert problem is None and ex.request_body == raw
    assert [f.rule_id for f in ex.findings] == ["policy.request_minimize"]
    assert ex.notes["request_minimize"] == {"removed": 5}  # currency, card, customer, note, internal


@pytest.mark.parametrize("depth", [65, 300, 1000])
def test_a_body_nested_past_the_limit_is_refused_not_an_error(depth: int) -> None:
    """The minimised document is written again and orjson writes at most 254 levels (it reads 1,024): 300 levels
    was an unhandled encoder error (500). Nesting is bounded as validate bounds it."""
    problem, ex = run({"allow": ["amount"]}, b'{"amount":' + b"[" * depth + b"]" * depth + b"}")
    assert problem is not None and problem.status == 422
    assert ex.request_body is not None and ex.request_body.startswith(b'{"amount":[[[')  # nothing rewritten


def test_a_body_nested_to_the_limit_is_minimised() -> None:
    problem, ex = run({"allow": ["amount"]}, b'{"amount":' + b"[" * 63 + b"]" * 63 + b',"x":"[[[[{{{{"}')
    assert problem is None and ex.request_body == b'{"amount":' + b"[" * 63 + b"]" * 63 + b"}"
