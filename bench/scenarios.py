"""The gateway configurations ``make bench`` compares. Add a Scenario to measure a policy's cost."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness import post_script

HERE = Path(__file__).resolve().parent

LISTENER = """\
listeners:
  - address: 127.0.0.1:{port}
    plaintext: true
upstreams:
  shop: {{url: "http://127.0.0.1:{up}", max_idle: 256}}
"""

QUIET = """\
metrics: {{enabled: false}}
access_log: {{enabled: false}}
audit: {{enabled: false}}
anomaly: {{enabled: false}}
dataflow: {{enabled: false}}
"""

LOUD = """\
access_log: {{output: "{work}/access-{port}.log"}}
audit: {{sink: "sqlite:///{work}/audit-{port}.db", state_dir: "{work}/state-{port}"}}
dataflow: {{enabled: false}}
"""

EMPTY = LISTENER + """\
routes:
  - id: all
    match: {{prefix: /}}
    upstream: shop
    public: true
"""

AUTH = """\
oauth:
  issuer: https://bench.local
  database: "sqlite:{work}/auth-{port}.db"
  master_key: "${{file:{work}/master.key}}"
  audience: bench
issuers:
  local: {{builtin: true, audiences: [bench]}}
openapi:
  bench: {spec}
"""

def _protected(policies: str) -> str:
    """The shop behind ``policies``, with the built-in issuer on /oauth/ to get tokens from."""
    return LISTENER + """\
  issuer: {{url: "internal:oauth"}}
""" + AUTH + QUIET + """\
routes:
  - id: oauth
    match: {{prefix: /oauth/}}
    upstream: issuer
    public: true
  - id: all
    match: {{prefix: /}}
    upstream: shop
""" + policies


JWT = _protected("""\
    policies:
      - jwt: {{issuer: local}}
""")
EMPTY_WITH_TOKEN = _protected("    public: true\n")
FULL = _protected("""\
    policies:
      - jwt: {{issuer: local}}
      - rate_limit: {{key: subject, rate: 1000000/second, burst: 100000}}
      - validate: {{openapi: bench}}
      - waf: {{}}
""")

MODSEC_RULES = "modsec-pl1.conf"


@dataclass
class Scenario:
    name: str
    template: str = EMPTY + QUIET
    kind: str = "bastion"
    get_path: str = "/products"
    post_path: str = "/echo"
    headers: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[Scenario, Path, int], None] | None = None
    """Runs before the gateway starts (``before``) — e.g. registering an OAuth client."""
    after_start: Callable[[Scenario, Path, int], None] | None = None
    nginx: dict[str, Any] = field(default_factory=dict)
    baselines: tuple[str, ...] = ()
    """Scenarios this one is compared with (run with it under ``--only``); none: ``bastion-empty``."""

    def config(self, port: int, up: int, work: Path) -> str:
        return self.template.format(port=port, up=up, work=work, spec=HERE / "specs" / "echo.yaml")

    def get_script(self, work: Path) -> Path | None:
        if not self.headers:
            return None
        p = work / f"get-{self.name}.lua"
        p.write_text("".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in self.headers.items()))
        return p

    def post_script(self, work: Path, body: bytes) -> Path:
        return post_script(work, body, self.post_path, self.headers)

    def close(self) -> None:
        """Stop what ``config`` or ``prepare`` started besides the gateway."""

    def summary(self) -> str:
        """A line for the report after the table (empty: none)."""
        return ""

    def nginx_args(self, work: Path) -> dict[str, str]:
        return {k: str(v).format(work=work) for k, v in self.nginx.items()}


def _master_key(work: Path) -> None:
    path = work / "master.key"
    if not path.exists():
        path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
        os.chmod(path, 0o600)


def register_client(sc: Scenario, work: Path, port: int) -> None:
    from bastion.oauth.config import AuthServerSection
    from bastion.oauth.services import open_components

    _master_key(work)
    section = AuthServerSection(issuer="https://bench.local", database=f"sqlite:{work}/auth-{port}.db",
                                master_key=f"${{file:{work}/master.key}}", audience="bench")

    async def create() -> str:
        parts = open_components(section)
        try:
            secret = await parts.registry.create("bench", {"bench"})
        finally:
            await parts.store.close()
        assert secret is not None
        return secret

    sc.headers["X-Bench-Secret"] = asyncio.run(create())


def fetch_token(sc: Scenario, work: Path, port: int) -> None:
    secret = sc.headers.pop("X-Bench-Secret")
    auth = base64.b64encode(f"bench:{secret}".encode()).decode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/oauth/token", data=b"grant_type=client_credentials",
                                 headers={"Authorization": f"Basic {auth}",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        token = json.loads(resp.read())["access_token"]
    sc.headers["Authorization"] = f"Bearer {token}"


def modsec_nginx(work: Path) -> dict[str, str]:
    from bench.waf import MODSEC_CONF, MODSEC_MODULE

    (work / MODSEC_RULES).write_text(MODSEC_CONF.format(prefix=work, pl=1))
    return {"modules": f"load_module {MODSEC_MODULE};",
            "extra": f"modsecurity on; modsecurity_rules_file {work / MODSEC_RULES}; client_max_body_size 2m;"}


SCENARIOS: list[Scenario] = [
    Scenario("bastion-empty"),
    Scenario("bastion-monitoring", EMPTY + LOUD),
    Scenario("bastion-empty-token", EMPTY_WITH_TOKEN, prepare=register_client, after_start=fetch_token),
    Scenario("bastion-jwt", JWT, prepare=register_client, after_start=fetch_token),
    Scenario("bastion-full", FULL, prepare=register_client, after_start=fetch_token),
    Scenario("nginx-modsec-crs", kind="nginx-modsec"),
    Scenario("naive-starlette-httpx", kind="naive"),
]
