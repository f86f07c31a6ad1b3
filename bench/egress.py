"""The egress route's cost in ``make bench``: a service calls ``/egress/partner/…`` and bastion injects a cached
OAuth client-credentials token and forwards to a partner over TLS, against the empty chain proxying to the
same partner.

The partner is nginx on loopback with TLS (a bench CA; the certificate names ``partner.test`` and
127.0.0.1): ``/oauth/token`` issues one token (each call logged, so the run shows how many token requests
the gateway made), and ``/api/products`` and ``/api/echo`` answer fixed JSON to requests that carry that
token, 401 otherwise, so a missing injection shows up as errors. Four gateways reach it:

* ``bastion-partner-empty``: the empty chain, ``https://127.0.0.1:<partner>`` as a verified TLS upstream;
* ``bastion-partner-jwt``: the same behind ``jwt`` (the caller's token in ``X-Caller-Token``);
* ``bastion-egress``: ``jwt`` + ``egress`` → ``internal:egress`` → the partner, with the oauth2 credential
  (client secret in the SQLite secret store), schema validation, response inspection and the header rules;
* ``bastion-egress-token``: the same without response checks (``allow_unvalidated``), i.e. the cached-token
  injection the issue's target is about.

wrk sends the same headers to all four: ``X-Caller-Token`` (a token from the built-in issuer) and the
partner's token in ``Authorization``, which the empty and jwt chains pass on and egress replaces with its
own. Run it alone (bastion-empty, nginx and the upstream always run too):

    python -m bench.gateway --only bastion-egress [--seconds 5] [--rounds 2]
"""

from __future__ import annotations

import asyncio
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.harness import Proc, free_port
from bench.scenarios import AUTH, HERE, LISTENER, QUIET, Scenario, _master_key, fetch_token, register_client

PARTNER_TOKEN = "bench-partner-token-5b0e2c"

PARTNER_NGINX = """
worker_processes 1;
daemon off;
error_log {prefix}/error.log error;
pid {prefix}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 75s;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {prefix}/partner.pem;
    ssl_certificate_key {prefix}/partner-key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    default_type application/json;
    location = /oauth/token {{
      access_log {prefix}/token-requests.log;
      return 200 '{{"access_token":"{token}","token_type":"Bearer","expires_in":3600}}';
    }}
    location = /api/products {{
      if ($http_authorization != "Bearer {token}") {{ return 401 '{{"error":"invalid_token"}}'; }}
      return 200 '{products}';
    }}
    location = /api/echo {{
      if ($http_authorization != "Bearer {token}") {{ return 401 '{{"error":"invalid_token"}}'; }}
      return 200 '{{"id":"e1","status":"accepted"}}';
    }}
  }}
}}
"""

ITEM = {"type": "object", "required": ["id", "name", "price", "currency"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "price": {"type": "string"},
                       "currency": {"type": "string"}, "stock": {"type": "integer"}}}
RESPONSE_SCHEMA = {"type": "object", "properties": {
    "items": {"type": "array", "items": ITEM},
    "id": {"type": "string"}, "status": {"type": "string"}}}


class Partner:
    """The nginx partner, started once for every scenario of a run that needs it."""

    def __init__(self) -> None:
        self.proc: Proc | None = None
        self.port = 0
        self.dir = Path()

    def ensure(self, work: Path) -> None:
        if self.proc is not None:
            return
        from bastion.devca.ca import DevCA
        from bastion.samples.shop import data

        self.dir = work / "partner"
        self.dir.mkdir(parents=True, exist_ok=True)
        ca = DevCA.create("bastion bench partner CA")
        ca.save(self.dir / "ca.pem", self.dir / "ca-key.pem")
        cert, key = ca.issue("partner.test", dns=["partner.test"], ips=["127.0.0.1"], days=2)
        (self.dir / "partner.pem").write_bytes(cert)
        (self.dir / "partner-key.pem").write_bytes(key)
        products = json.dumps({"items": list(data.PRODUCTS.values())}, separators=(",", ":"))
        self.port = free_port()
        conf = self.dir / "nginx.conf"
        conf.write_text(PARTNER_NGINX.format(prefix=self.dir, port=self.port, token=PARTNER_TOKEN,
                                             products=products))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = Proc([nginx, "-c", str(conf), "-p", str(self.dir)], self.port)

    def token_requests(self) -> int:
        log = self.dir / "token-requests.log"
        return len(log.read_text().splitlines()) if log.exists() else 0

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()
            self.proc = None


PARTNER = Partner()

_PARTNER_UPSTREAM = """\
  partner: {{url: "https://127.0.0.1:{partner}", tls: {{ca: "{work}/partner/ca.pem"}}, max_idle: 256}}
  issuer: {{url: "internal:oauth"}}
"""


def _routes(last: str) -> str:
    return """\
routes:
  - id: oauth
    match: {{prefix: /oauth/}}
    upstream: issuer
    public: true
""" + last


CALLER_JWT = "      - jwt: {{issuer: local, header: x-caller-token}}\n"

PARTNER_EMPTY = LISTENER + _PARTNER_UPSTREAM + AUTH + QUIET + _routes("""\
  - id: all
    match: {{prefix: /}}
    upstream: partner
    public: true
""")

PARTNER_JWT = LISTENER + _PARTNER_UPSTREAM + AUTH + QUIET + _routes("""\
  - id: all
    match: {{prefix: /}}
    upstream: partner
    policies:
""" + CALLER_JWT)

INVENTORY = """\
dataflow: {{store: "sqlite:///{work}/dataflow-{port}.db"}}
"""
"""Egress runs with the data-flow inventory on (its default): PII sent to partners is counted, sampled."""


def _egress(response: str) -> str:
    return LISTENER + """\
  issuer: {{url: "internal:oauth"}}
  egress: {{url: "internal:egress"}}
""" + AUTH + QUIET.replace("dataflow: {{enabled: false}}\n", INVENTORY) + """\
secrets: {{store: "sqlite:{work}/secrets-{port}.db", master_key: "${{file:{work}/master.key}}"}}
egress:
  partners:
    partner:
      url: https://partner.test:{partner}/api
      callers: [bench]
      addresses: {{partner.test: [127.0.0.1]}}
      allow_networks: [127.0.0.1/32]
      credential: {{kind: oauth2, token_url: "https://partner.test:{partner}/oauth/token", client_id: bastion,
                   client_secret: "${{secret:partner.client_secret}}"}}
      tls: {{ca: "{work}/partner/ca.pem"}}
      response: """ + response + """
""" + _routes("""\
  - id: egress
    match: {{prefix: /egress/}}
    upstream: egress
    policies:
""" + CALLER_JWT + """\
      - egress: {{}}
""")


EGRESS = _egress("{{schema: {schema}}}")
"""Every egress check on: response schema, undeclared fields removed, response inspection."""
EGRESS_TOKEN = _egress("{{allow_unvalidated: true, inspect: false}}")
"""Only what the issue's benchmark names: the caller checked, the cached partner token injected, the
header allow-lists, the audit record and the inventory; the partner's answer passed through unchecked."""


@dataclass
class PartnerScenario(Scenario):
    """A gateway in front of the nginx partner; the caller's token goes in ``X-Caller-Token``."""

    seed_secret: bool = False
    """Store the partner's client secret in this gateway's secret store before it starts."""

    def config(self, port: int, up: int, work: Path) -> str:
        PARTNER.ensure(work)
        if self.seed_secret:
            seed_client_secret(work, port)
        return self.template.format(port=port, up=up, work=work, spec=HERE / "specs" / "echo.yaml",
                                    partner=PARTNER.port, schema=json.dumps(RESPONSE_SCHEMA))

    def close(self) -> None:
        PARTNER.stop()

    def summary(self) -> str:
        return f"partner token requests during the run: {PARTNER.token_requests()}"


def seed_client_secret(work: Path, port: int) -> None:
    """The partner's client secret in this gateway's secret store (the partner accepts any)."""
    from bastion.secrets.config import SecretsSection, open_store

    _master_key(work)
    section = SecretsSection(store=f"sqlite:{work}/secrets-{port}.db", master_key=f"${{file:{work}/master.key}}")

    async def seed() -> None:
        store = await open_store(section)
        try:
            await store.set("partner.client_secret", "bench-client-secret", actor="bench")
        finally:
            await store.backend.driver.close()

    asyncio.run(seed())


def caller_token(sc: Scenario, work: Path, port: int) -> None:
    """Mint the caller's token from the gateway's issuer; send it beside the partner's token."""
    fetch_token(sc, work, port)
    sc.headers["X-Caller-Token"] = sc.headers.pop("Authorization")
    sc.headers["Authorization"] = f"Bearer {PARTNER_TOKEN}"


def _scenario(name: str, template: str, get_path: str, post_path: str, baselines: tuple[str, ...] = (),
              seed: bool = False) -> PartnerScenario:
    return PartnerScenario(name, template, get_path=get_path, post_path=post_path, prepare=register_client,
                           after_start=caller_token, baselines=baselines, seed_secret=seed)


EGRESS_SCENARIOS = [
    _scenario("bastion-partner-empty", PARTNER_EMPTY, "/api/products", "/api/echo"),
    _scenario("bastion-partner-jwt", PARTNER_JWT, "/api/products", "/api/echo", ("bastion-partner-empty",)),
    _scenario("bastion-egress", EGRESS, "/egress/partner/products", "/egress/partner/echo",
              ("bastion-partner-empty", "bastion-partner-jwt"), seed=True),
    _scenario("bastion-egress-token", EGRESS_TOKEN, "/egress/partner/products", "/egress/partner/echo",
              ("bastion-partner-empty", "bastion-partner-jwt"), seed=True),
]
