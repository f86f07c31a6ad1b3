"""Integration: the ``api_key`` policy in the real gateway — keys from the store, query keys refused, the
key never forwarded upstream, revocation (made through another store handle) honoured within the 1 s
record cache."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from oauth_node import gateway_with_upstream

from bastion.clock import SYSTEM_CLOCK
from bastion.oauth.config import AuthServerSection
from bastion.oauth.services import open_components

pytestmark = pytest.mark.integration

CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
oauth:
  database: sqlite:auth.db
  master_key: ${{file:master.key}}
  api_keys: {{hmac_secret: "${{file:apikeys.secret}}"}}
upstreams:
  app: {{url: "http://127.0.0.1:{port}"}}
routes:
  - id: reports
    match: {{prefix: /reports/}}
    upstream: app
    policies:
      - api_key: {{scopes: ["reports:read"]}}
"""
SECTION = AuthServerSection(database="sqlite:auth.db", master_key="${file:master.key}",
                            api_keys={"hmac_secret": "${file:apikeys.secret}"})  # type: ignore[arg-type]


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    (tmp_path / "apikeys.secret").write_text(secrets.token_urlsafe(48))
    with gateway_with_upstream(tmp_path, CONFIG) as (port, app):
        yield {"url": f"http://127.0.0.1:{port}", "dir": tmp_path, "app": app}


def store_op(d: Path, op: str, *args: Any) -> Any:
    async def run() -> Any:
        parts = open_components(SECTION, SYSTEM_CLOCK, d)
        try:
            assert parts.api_keys is not None
            return await getattr(parts.api_keys, op)(*args)
        finally:
            await parts.store.close()

    return anyio.run(run)


def test_api_key_through_the_gateway(stack: dict[str, Any]) -> None:
    d, url = stack["dir"], stack["url"]
    key, key_id = store_op(d, "create", "reporting-job", {"reports:read"})
    weak, _ = store_op(d, "create", "other-job", {"orders:read"})
    with httpx.Client(timeout=5) as http:
        assert http.get(url + "/reports/daily", headers={"x-api-key": key}).status_code == 200
        assert http.get(url + "/reports/daily", headers={"x-api-key": weak}).status_code == 403
        assert http.get(url + "/reports/daily", params={"api_key": key}).status_code == 401
        altered = key[:-1] + ("y" if key.endswith("x") else "x")  # a key ending in "x" once stayed itself
        assert http.get(url + "/reports/daily", headers={"x-api-key": altered}).status_code == 401
        store_op(d, "revoke", key_id)
        started = time.monotonic()
        while http.get(url + "/reports/daily", headers={"x-api-key": key}).status_code == 200:
            assert time.monotonic() - started < 1.5
            time.sleep(0.05)
    assert stack["app"].requests and all("x-api-key" not in r.headers for r in stack["app"].requests)
    assert key.encode() not in stack["app"].received
