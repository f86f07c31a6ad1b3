"""Unit: RFC 9457 problems — shape, request id, round trip."""

from __future__ import annotations

import orjson
from hypothesis import given
from hypothesis import strategies as st

from bastion.http.problem import FORBIDDEN, RATE_LIMITED, Problem


def test_problem_body_has_rfc9457_members_and_request_id() -> None:
    body = orjson.loads(FORBIDDEN.problem("nope").body("0b1c2d3e-0000-4000-8000-000000000000"))
    assert body == {"type": "https://bastion.dev/problems/forbidden", "title": "Forbidden", "status": 403,
                    "detail": "nope", "instance": "urn:uuid:0b1c2d3e-0000-4000-8000-000000000000",
                    "request_id": "0b1c2d3e-0000-4000-8000-000000000000"}


def test_extensions_and_headers_ride_along() -> None:
    p = RATE_LIMITED.problem(headers=(("retry-after", "3"),), retry_after=3)
    assert p.headers == (("retry-after", "3"),)
    assert orjson.loads(p.body())["retry_after"] == 3


def test_extensions_cannot_override_standard_members() -> None:
    p = Problem("t", "T", 403, extensions={"status": 200, "type": "evil"})
    body = orjson.loads(p.body())
    assert body["status"] == 403 and body["type"] == "t"


@given(st.text(max_size=50), st.integers(400, 599))
def test_problem_json_round_trips(detail: str, status: int) -> None:
    p = FORBIDDEN.problem(detail or None, status=status)
    body = orjson.loads(p.body())
    assert body["status"] == status
    assert body.get("detail") == (detail or None)
