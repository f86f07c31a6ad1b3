"""Property: validation never forwards a body that differs from what was validated.

For any body — valid orders, near misses, extra and duplicate keys, odd numbers and strings — the
validate policy leaves ``ex.request_body`` as the very bytes it received, and whenever it lets a
body through, an independent parser (orjson, or one that keeps the first of duplicate keys) reads exactly the
document the validator accepted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.chain.policy import PolicyDeps
from bastion.openapi import load_document
from bastion.policies.validate import ValidateConfig, ValidatePolicy
from bastion.testing.exchange import make_exchange
from bastion.validation.body import parse_json

SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "specs" / "validate" / "orders.yaml"
POLICY = ValidatePolicy(ValidateConfig(openapi="orders"), PolicyDeps(openapi={"orders": load_document(SPEC)}))
KEYS = st.sampled_from(["items", "total", "note", "metadata", "sku", "qty", "amount", "currency", "id", "is_admin"])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12), st.sampled_from(["EUR", "eur", "A-1", "\u2028", "<x>"]),
)
# objects are lists of pairs, so a key may repeat (the serializer writes them as given)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(st.tuples(KEYS, inner), max_size=5).map(tuple)),
    max_leaves=20,
)


def dump(value: Any) -> str:
    if isinstance(value, tuple):
        return "{" + ",".join(json.dumps(k) + ":" + dump(v) for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    return json.dumps(value)


def first_wins(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


lines = st.tuples(st.sampled_from(["A-1", "B", ""]), st.sampled_from([1, 3, 7, 0, "2", 1.5]))
orders = st.builds(
    lambda ls, amount, cur, extra: (
        ("items", [(("sku", s), ("qty", q)) for s, q in ls]),
        ("total", (("amount", amount), ("currency", cur))),
        *extra,
    ),
    st.lists(lines, min_size=1, max_size=3),
    st.one_of(st.integers(-1, 100), st.floats(0, 1e6)),
    st.sampled_from(["EUR", "GBP", "usd"]),
    st.lists(st.one_of(st.tuples(KEYS, values), st.tuples(st.just("note"), st.text(max_size=6))), max_size=2),
)
# a valid order whose "note" appears twice: two parsers read two different notes unless it is refused
notes = st.text(st.characters(codec="utf-8"), max_size=8)
twice = st.builds(lambda ls, a, b: (("items", [(("sku", "A"), ("qty", q)) for q in ls]),
                                    ("total", (("amount", 1), ("currency", "EUR"))), ("note", a), ("note", b)),
                  st.lists(st.integers(1, 9), min_size=1, max_size=2), notes, notes)
texts = st.one_of(orders.map(dump), orders.map(dump), twice.map(dump), values.map(dump))
bodies = texts.map(str.encode) | st.binary(max_size=40)


@settings(max_examples=400, deadline=None)
@given(raw=bodies, spaced=st.booleans())
def test_forwarded_body_is_exactly_the_validated_one(raw: bytes, spaced: bool) -> None:
    if spaced:
        raw = b" \n" + raw + b"\t "
    ex = make_exchange("POST", "/v1/orders", body=raw, headers=[("content-type", "application/json")])
    problem = anyio.run(POLICY.on_request, ex)
    assert ex.request_body is raw
    if problem is None:
        validated = parse_json(raw)
        assert orjson.loads(raw) == validated  # a last-key-wins parser
        assert json.loads(raw, object_pairs_hook=first_wins) == validated  # a first-key-wins parser
        rule = POLICY.table.match("POST", "/v1/orders")[0]
        assert rule is not None and rule.body is not None
        media = rule.body.select("application/json")[0]
        assert media is not None and media.validator is not None and media.validator.is_valid(validated)
