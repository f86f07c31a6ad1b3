"""Unit: waf configuration — exclusions per field and rule, header exclusions, disabled classes,
base64 fields, report mode through the runner, and config errors with key paths."""

from __future__ import annotations

import base64
import json

import pytest

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Mode, PolicyDeps
from bastion.chain.registry import build_policy
from bastion.chain.runner import CompiledChain
from bastion.errors import ConfigError
from bastion.policies.waf import WafConfig, WafPolicy
from bastion.testing.exchange import make_exchange

SQLI = "' or '1'='1"


def waf(**raw: object) -> WafPolicy:
    policy = build_policy("waf", raw, PolicyDeps(), "routes[0].policies[0]")
    assert isinstance(policy, WafPolicy)
    return policy


def json_exchange(doc: object) -> Exchange:
    return make_exchange("POST", "/api/items", headers=[("content-type", "application/json")],
                         body=json.dumps(doc).encode())


def test_registered_with_defaults() -> None:
    policy = waf()
    assert policy.name == "waf" and policy.needs_request_body and policy.mode is Mode.ENFORCE


@pytest.mark.anyio
async def test_field_exclusion_for_one_rule_only() -> None:
    policy = waf(exclusions=[{"field": "/body/comment", "rules": ["sqli"]}])
    assert await policy.on_request(json_exchange({"comment": SQLI})) is None
    assert await policy.on_request(json_exchange({"comment": "<script>alert(1)</script>"})) is not None
    assert await policy.on_request(json_exchange({"other": SQLI})) is not None


@pytest.mark.anyio
async def test_field_exclusion_with_wildcard_covers_subtree() -> None:
    policy = waf(exclusions=[{"field": "/body/items/*/note"}])
    assert await policy.on_request(json_exchange({"items": [{"note": {"text": SQLI}}]})) is None
    assert await policy.on_request(json_exchange({"items": [{"sku": SQLI}]})) is not None


@pytest.mark.anyio
async def test_query_parameter_exclusion() -> None:
    policy = waf(exclusions=[{"field": "/query/sql", "rules": ["waf.sqli"]}])
    assert await policy.on_request(make_exchange("GET", "/q", query="sql=%27%20or%20%271%27%3D%271")) is None
    assert await policy.on_request(make_exchange("GET", "/q", query="q=%27%20or%20%271%27%3D%271")) is not None


@pytest.mark.anyio
async def test_excluded_header_is_not_inspected() -> None:
    policy = waf(exclude_headers=["X-Signature"])
    assert await policy.on_request(make_exchange("GET", "/", headers=[("x-signature", SQLI)])) is None
    assert await policy.on_request(make_exchange("GET", "/", headers=[("x-other", SQLI)])) is not None


@pytest.mark.anyio
async def test_disabled_class_for_route() -> None:
    policy = waf(disabled=["ssti"])
    assert await policy.on_request(json_exchange({"t": "{{7*7}}"})) is None


@pytest.mark.anyio
async def test_base64_marked_field_is_decoded_and_inspected() -> None:
    encoded = base64.b64encode(b"<script>alert(1)</script>").decode()
    unmarked = json_exchange({"blob": encoded})
    assert await waf().on_request(unmarked) is not None  # unmarked base64 that decodes to text is read too
    urlsafe = base64.urlsafe_b64encode(b"<script>alert(1)</script>??>").decode()  # '_' only the marked decoder reads
    assert await waf().on_request(json_exchange({"blob": urlsafe})) is None
    assert await waf(base64_fields=["/body/blob"]).on_request(json_exchange({"blob": urlsafe})) is not None
    policy = waf(base64_fields=["/body/blob"])
    ex = json_exchange({"blob": encoded})
    assert await policy.on_request(ex) is not None
    assert ex.notes["waf"]["decoded"] is True


@pytest.mark.anyio
async def test_report_mode_forwards_and_records() -> None:
    policy = waf(mode="report")
    chain = CompiledChain([policy])
    ex = json_exchange({"q": SQLI})
    problem, entered = await chain.run_request(ex)
    assert problem is None and entered == 1
    assert any(f.rule_id == "waf.sqli" for f in ex.findings)
    assert ex.notes["waf"]["mode"] == "report"


@pytest.mark.anyio
async def test_enforce_mode_stops_the_chain() -> None:
    problem, _ = await CompiledChain([waf()]).run_request(json_exchange({"q": SQLI}))
    assert problem is not None and problem.status == 403


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"disabled": ["sqlx"]}, "routes[0].policies[0].waf"),
        ({"exclusions": [{"field": "/nowhere"}]}, "routes[0].policies[0].waf"),
        ({"exclusions": [{"field": "/body/x", "rules": ["nope"]}]}, "routes[0].policies[0].waf"),
        ({"unknown": 1}, "routes[0].policies[0].waf"),
    ],
)
def test_bad_config_is_a_config_error(raw: dict[str, object], path: str) -> None:
    with pytest.raises(ConfigError) as info:
        build_policy("waf", raw, PolicyDeps(), "routes[0].policies[0]")
    assert info.value.path == path


def test_config_model_is_frozen() -> None:
    config = WafConfig()
    with pytest.raises(ValueError):
        config.disabled = ("xss",)  # type: ignore[misc]


def test_routes_share_one_compiled_engine_per_set_of_disabled_classes() -> None:
    """Compiling the prefilter takes ~0.7 s: twenty waf routes (or a reload) must not pay it twenty times."""
    a = WafPolicy(WafConfig(), PolicyDeps())
    b = WafPolicy(WafConfig(exclude_headers=["x-trace"]), PolicyDeps())
    c = WafPolicy(WafConfig(disabled=["ldapi"]), PolicyDeps())
    d = WafPolicy(WafConfig(disabled=["ldapi"]), PolicyDeps())
    assert a.engine is b.engine
    assert c.engine is d.engine and c.engine is not a.engine
    assert "ldapi" not in c.engine.classes and "ldapi" in a.engine.classes


@pytest.mark.anyio
async def test_json_body_parsed_by_validate_is_inspected_without_a_second_parse() -> None:
    policy = waf()
    ex = json_exchange({"comment": SQLI, "items": [{"note": "fine"}]})
    assert ex.request_body is not None
    ex.request_json = (ex.request_body, json.loads(ex.request_body))  # what validate leaves on the exchange
    hit = policy.inspect(ex)
    assert hit is not None and hit[0] == "/body/comment" and hit[1].rule.attack == "sqli"
    assert await policy.on_request(ex) is not None


@pytest.mark.anyio
async def test_a_parse_of_other_bytes_is_not_used_for_the_body() -> None:
    policy = waf()
    benign = json.dumps({"comment": "fine"}).encode()
    ex = json_exchange({"comment": SQLI})
    ex.request_json = (benign, json.loads(benign))  # a policy replaced the body after validate parsed it
    assert await policy.on_request(ex) is not None
    same_bytes = bytes(bytearray(ex.request_body or b""))
    ex.request_json = (same_bytes, {"comment": "fine"})  # equal bytes, other object: still not trusted
    assert await policy.on_request(ex) is not None
