"""Integration: revocation across two processes sharing Redis is honoured within 1 s (real sockets,
real Redis 127.0.0.1:6379, one SQLite authorization-server database shared by both processes)."""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

pytestmark = pytest.mark.integration
NODE = Path(__file__).with_name("oauth_node.py")


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    prefix = f"test:oauth:{secrets.token_hex(6)}:"
    (tmp_path / "master.key").write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    settings = {"oauth": {"issuer": "https://gw.example.test", "database": f"sqlite:{tmp_path / 'auth.db'}",
                          "master_key": "${file:master.key}"},
                "issuers": {"local": {"builtin": True, "audiences": ["api"], "require_typ": True}}}
    spec = json.dumps({"settings": settings, "base_dir": str(tmp_path), "state": "redis://127.0.0.1:6379/0",
                       "prefix": prefix})
    procs = [subprocess.Popen([sys.executable, str(NODE), spec], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    try:
        urls = []
        for proc in procs:
            assert proc.stdout is not None
            urls.append(f"http://127.0.0.1:{int(proc.stdout.readline())}")
        for url in urls:
            _wait_ready(url)
        yield urls[0], urls[1], tmp_path
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)
            if proc.stdout is not None:
                proc.stdout.close()
        client = redis.Redis(host="127.0.0.1", port=6379)
        keys = list(client.scan_iter(match=prefix + "*"))
        if keys:
            client.delete(*keys)
        client.close()


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/.well-known/oauth-authorization-server", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("node did not start")


def _create_client(tmp_path: Path) -> str:
    config = tmp_path / "bastion.yaml"
    config.write_text(f"oauth:\n  issuer: https://gw.example.test\n  database: sqlite:{tmp_path / 'auth.db'}\n"
                      "  master_key: ${file:master.key}\n")
    out = subprocess.run([sys.executable, "-m", "bastion", "clients", "create", "shop", "-s", "orders:read",
                          "-c", str(config)], capture_output=True, text=True, check=True).stdout
    return out.split("client_secret:")[1].split()[0]


def test_revocation_across_two_processes_within_one_second(nodes: tuple[str, str, Path]) -> None:
    node_a, node_b, tmp_path = nodes
    secret = _create_client(tmp_path)
    with httpx.Client(timeout=5) as http:
        resp = http.post(node_a + "/oauth/token", data={"grant_type": "client_credentials"},
                         auth=("shop", secret))
        assert resp.status_code == 200, resp.text
        token = resp.json()["access_token"]
        bearer = {"authorization": f"Bearer {token}"}
        assert http.get(node_b + "/check", headers=bearer).status_code == 200
        assert http.get(node_a + "/check", headers=bearer).status_code == 200
        revoked = http.post(node_a + "/oauth/revoke", data={"token": token}, auth=("shop", secret))
        assert revoked.status_code == 200
        started = time.monotonic()
        while http.get(node_b + "/check", headers=bearer).status_code == 200:
            assert time.monotonic() - started < 1.0, "node B still accepts the revoked token after 1 s"
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        assert elapsed < 1.0
        problem = http.get(node_b + "/check", headers=bearer)
        assert problem.status_code == 401 and 'error="invalid_token"' in problem.headers["www-authenticate"]


def test_unreachable_redis_fails_closed_with_503() -> None:
    import anyio
    import redis.asyncio as aioredis

    from bastion.clock import SYSTEM_CLOCK
    from bastion.oauth.revocation import RedisRevocationList
    from bastion.tokens.errors import StateUnavailable

    async def run() -> None:
        client = aioredis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
        try:
            with pytest.raises(StateUnavailable):
                await RedisRevocationList(client, "test:oauth:down:", SYSTEM_CLOCK).is_revoked("jti")
        finally:
            await client.aclose()

    anyio.run(run)
