"""Integration: minimize and request_minimize in a real gateway on loopback, with the data-flow inventory.

A real ``bastion serve`` (loop thread, port 0) in front of an over-sharing upstream: what reaches the
client is the declared projection with a correct ``Content-Length`` (also when the upstream gzips
although asked for identity); what reaches a third-party upstream is the allow-listed, redacted body;
and ``bastion report data-flows`` reads what left, as counts.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from typer.testing import CliRunner

from bastion.cli.main import app as cli
from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response

pytestmark = pytest.mark.integration

SPEC = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "minimize" / "customers.yaml"
CUSTOMER = {"id": 7, "name": "Ann", "email": "ann@example.com", "phone": "+44 20 7946 0958",
            "card_number": "4111 1111 1111 1111", "password_hash": "$2b$12$secret", "internal_score": 0.9,
            "address": {"city": "Oslo", "country": "NO", "street": "Gate 1"}}
CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
openapi:
  shop: "{spec}"
upstreams:
  up: {{url: "http://127.0.0.1:{port}"}}
dataflow: {{store: "sqlite:///{folder}/flows.db", flush_interval: 3600}}
routes:
  - id: get-customer
    match: {{methods: [GET], path: "/customers/{{id}}"}}
    upstream: up
    public: true
    policies:
      - minimize: {{openapi: shop, pii: {{phone: mask}}}}
  - id: charge
    match: {{methods: [POST], path: /charges}}
    upstream: up
    public: true
    policies:
      - request_minimize: {{allow: [amount, card, customer.email], pii: {{email: redact}}}}
"""


def shop(seen: list[AppRequest]) -> Router:
    r = Router()

    async def customer(req: AppRequest) -> AppResponse:
        seen.append(req)
        body = orjson.dumps(CUSTOMER)
        if "gz=1" in req.query_string:  # compresses although the gateway asked for identity
            return AppResponse(200, [("content-type", "application/json"), ("content-encoding", "gzip")],
                               gzip.compress(body))
        return AppResponse(200, [("content-type", "application/json")], body)

    async def charge(req: AppRequest) -> AppResponse:
        seen.append(req)
        return json_response({"ok": True})

    r.add("GET", "/customers/{id}", customer)
    r.add("POST", "/charges", charge)
    return r


@pytest.fixture
def seen() -> list[AppRequest]:
    return []


@pytest.fixture
def gateway(lt: LoopThread, seen: list[AppRequest], tmp_path: Path) -> Iterator[tuple[httpx.Client, GatewayThread]]:
    up = RecordingUpstream(lt, app=shop(seen)).start()
    gw = GatewayThread(lt, tmp_path, CONFIG.format(spec=SPEC, port=up.port, folder=tmp_path)).start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{gw.port}", timeout=30.0) as c:
            yield c, gw
    finally:
        gw.stop()
        up.stop()


EXPECTED = {"id": 7, "name": "Ann", "email": "ann@example.com", "phone": "************0958",
            "address": {"city": "Oslo", "country": "NO"}}


@pytest.mark.parametrize("query", ["", "?gz=1"])
def test_client_gets_the_declared_projection_with_a_true_content_length(
        gateway: tuple[httpx.Client, GatewayThread], seen: list[AppRequest], query: str) -> None:
    client, _ = gateway
    resp = client.get(f"/customers/7{query}", headers={"accept-encoding": "gzip, br"})
    assert resp.status_code == 200, resp.text
    assert resp.headers.get("content-encoding") is None
    assert resp.headers.get_list("content-length") == [str(len(resp.content))]
    assert orjson.loads(resp.content) == EXPECTED
    assert seen[-1].headers.get("accept-encoding") == "identity"
    for leaked in (b"4111", b"secret", b"internal_score", b"Gate 1", b"7946"):
        assert leaked not in resp.content


def test_third_party_receives_only_what_it_needs(gateway: tuple[httpx.Client, GatewayThread],
                                                seen: list[AppRequest]) -> None:
    client, _ = gateway
    order = {"amount": 1250, "card": {"number": "4111111111111111"}, "customer": {"email": "ann@example.com",
                                                                                   "ssn": "123-45-6789"},
             "notes": "internal"}
    resp = client.post("/charges", content=orjson.dumps(order), headers={"content-type": "application/json"})
    assert resp.status_code == 200, resp.text
    forwarded = seen[-1]
    assert orjson.loads(forwarded.body) == {"amount": 1250, "card": {"number": "4111111111111111"},
                                            "customer": {"email": "[REDACTED:email]"}}
    assert forwarded.headers.get("content-length") == str(len(forwarded.body))


def test_report_lists_what_left(gateway: tuple[httpx.Client, GatewayThread], tmp_path: Path) -> None:
    client, gw = gateway
    client.get("/customers/7")
    client.post("/charges", content=orjson.dumps({"amount": 1, "card": "4111111111111111"}),
                headers={"content-type": "application/json"})
    gw.stop()  # flushes the recorder
    res = CliRunner().invoke(cli, ["report", "data-flows", "--db", str(tmp_path / "flows.db"), "-f", "json"])
    assert res.exit_code == 0, res.output
    flows = {(r["recipient"], c["category"]) for r in orjson.loads(res.output)["recipients"] for c in r["categories"]}
    assert ("anonymous", "email") in flows and ("anonymous", "name") in flows
    assert ("up", "card") in flows
    assert b"ann@example.com" not in (tmp_path / "flows.db").read_bytes()
