"""The ``jwt`` policy's cost in ``make bench``: a route behind ``jwt`` with a cached token vs the empty chain.

``config()`` sets up the built-in authorization server in the bench work folder (master key, SQLite,
one client) and mints a token, which wrk then sends on every request: after the first request each
one is a verified-cache hit plus a revocation lookup. Register it with
``SCENARIOS.append(JWT_SCENARIO)`` in ``bench/scenarios.py``, or run it alone:

    python -m bench.jwt_scenario [--seconds 5] [--rounds 2]
"""

from __future__ import annotations

import argparse
import base64
import secrets
from dataclasses import dataclass
from pathlib import Path

import anyio

from bench.scenarios import LISTENER, Scenario

JWT_ROUTES = LISTENER + """\
oauth:
  issuer: https://bench.example.test
  database: sqlite:{work}/bench-auth.db
  master_key: ${{file:{work}/bench-master.key}}
issuers:
  local: {{builtin: true, audiences: [api]}}
routes:
  - id: all
    match: {{prefix: /}}
    upstream: shop
    policies:
      - jwt: {{issuer: local, scopes: ["orders:read"]}}
"""


@dataclass
class JwtScenario(Scenario):
    def config(self, port: int, up: int, work: Path) -> str:
        self.headers["Authorization"] = "Bearer " + mint_token(work)
        return super().config(port, up, work)


def mint_token(work: Path) -> str:
    from bastion.clock import SYSTEM_CLOCK
    from bastion.oauth.config import AuthServerSection
    from bastion.oauth.grants import Grants
    from bastion.oauth.services import open_components
    from bastion.tokens.revocation import MemoryRevocationList

    key = work / "bench-master.key"
    if not key.exists():
        key.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    section = AuthServerSection(issuer="https://bench.example.test", database=f"sqlite:{work}/bench-auth.db",
                                master_key=f"${{file:{key}}}")

    async def run() -> str:
        parts = open_components(section, SYSTEM_CLOCK, work)
        try:
            client = await parts.store.get_client("bench")
            if client is None:
                await parts.registry.create("bench", {"orders:read"})
                client = await parts.store.get_client("bench")
            assert client is not None
            grants = Grants(section.issuer, parts.keyring, MemoryRevocationList(SYSTEM_CLOCK), SYSTEM_CLOCK,
                            section.token_ttl, section.audience)
            token, _ = await grants.issue(client, {"orders:read"})
            return token
        finally:
            await parts.store.close()

    return anyio.run(run)


JWT_SCENARIO = JwtScenario("bastion-jwt", template=JWT_ROUTES)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    from bench import gateway
    from bench.scenarios import SCENARIOS

    if JWT_SCENARIO not in SCENARIOS:
        SCENARIOS.append(JWT_SCENARIO)
    raise SystemExit(gateway.run(args.seconds, args.rounds, {"bastion-jwt"}))


if __name__ == "__main__":
    main()
