"""Integration: secrets and PII sent through a real gateway appear in none of its logs, access log,
audit trail or error responses (scanned for every value the test sent, in every form)."""

from __future__ import annotations

import io
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream
from bastion.webapp.app import AppRequest, AppResponse, Router

pytestmark = pytest.mark.integration

SPEC = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "minimize" / "customers.yaml"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl"
SENT = {
    "jwt": JWT, "cookie": "31d4d96e407aad42", "basic": "dXNlcjpodW50ZXIyLXBhc3N3b3Jk",
    "api_key": "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "password": "hunter2-password",
    "card": "4111111111111111", "email": "ann@example.com", "ssn": "123-45-6789",
}
CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
access_log: {{output: "{folder}/access.log"}}
audit: {{sink: "sqlite:///{folder}/audit.db"}}
openapi:
  shop: "{spec}"
upstreams:
  up: {{url: "http://127.0.0.1:{port}"}}
routes:
  - id: customers
    match: {{prefix: /customers}}
    upstream: up
    public: true
    policies:
      - minimize: {{openapi: shop}}
"""


def failing_upstream() -> Router:
    r = Router()

    async def fail(req: AppRequest) -> AppResponse:  # an upstream that echoes what it got into its error
        auth = req.headers.get("authorization")
        leak = f"db error for {SENT['email']} card {SENT['card']} ssn {SENT['ssn']} auth {auth}"
        return AppResponse(500, [("content-type", "application/json")], orjson.dumps({"error": leak}))

    r.add("GET", "/customers/{id}", fail)
    r.add("POST", "/customers/{id}", fail)
    return r


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(lambda r: not r.name.startswith(("httpx", "httpcore")))  # the test's own client
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


def _dump_sqlite(path: Path) -> str:
    if not path.exists():
        return ""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "".join(repr(con.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
    finally:
        con.close()


def test_logs_audit_and_errors_hold_none_of_the_secrets_sent(lt: LoopThread, tmp_path: Path,
                                                             captured: io.StringIO) -> None:
    up = RecordingUpstream(lt, app=failing_upstream()).start()
    gw = GatewayThread(lt, tmp_path, CONFIG.format(folder=tmp_path, spec=SPEC, port=up.port)).start()
    responses: list[bytes] = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{gw.port}", timeout=30.0) as client:
            query = f"?token={SENT['jwt']}&password={SENT['password']}&email={SENT['email']}"
            r = client.get("/customers/7" + query, headers={"authorization": f"Bearer {SENT['jwt']}",
                                                             "cookie": f"sid={SENT['cookie']}",
                                                             "x-api-key": SENT["api_key"]})
            responses.append(r.content)
            r = client.post("/customers/7", headers={"authorization": f"Basic {SENT['basic']}",
                                                      "content-type": "application/json"},
                            content=orjson.dumps({"card_number": SENT["card"], "password": SENT["password"]}))
            responses.append(r.content)
    finally:
        gw.stop()
        up.stop()
    logs = captured.getvalue()
    access = (tmp_path / "access.log").read_text() if (tmp_path / "access.log").exists() else ""
    audit = _dump_sqlite(tmp_path / "audit.db")
    assert access and audit, "the access log and the audit trail were written"
    everything = "\n".join([logs, access, audit, *(b.decode() for b in responses)])
    for name, value in SENT.items():
        for form in {value, value.replace("-", ""), " ".join(value[i:i + 4] for i in range(0, len(value), 4))}:
            assert form not in everything, f"{name} leaked"
