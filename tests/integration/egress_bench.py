"""Egress overhead with a cached token, in process (not a test; run it by hand, it takes seconds):

    .venv/bin/python tests/integration/egress_bench.py [N] [--token-only]

``--token-only``: the partner without response checks (``allow_unvalidated``), as ``bench.egress``'s
``bastion-egress-token``.

1. *in-process*: ``EgressApp.handle`` with the partner leg replaced by a canned answer, so the figure
   is bastion's own work per call: the app's checks, authorisation, header allow-list, cached OAuth
   token injection, schema validation + projection + inspection of the response, audit record.
2. *loopback*: the same call against the fake partner over TLS on 127.0.0.1 (keep-alive), compared
   with a bare request on the gateway's upstream pool (the egress client's transport) carrying a valid
   token to the same partner.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
from egress_fakes import FakePartner, call, make_app, make_pki, serve

from bastion.egress.client import PartnerResponse
from bastion.egress.connector import partner_ssl_context
from bastion.proxy.upstream import PoolSettings, UpstreamPool
from bastion.secrets.backend import SqlSecretBackend
from bastion.secrets.crypto import MasterKey
from bastion.secrets.sql import SqliteDriver
from bastion.secrets.store import SecretStore


async def _nothing(record: dict[str, Any]) -> None:
    return None


async def main(n: int, token_only: bool = False) -> None:
    tmp = Path(tempfile.mkdtemp())
    pki = make_pki(tmp)
    backend = SqlSecretBackend(SqliteDriver(tmp / "s.db"))
    await backend.setup()
    store = SecretStore(backend, MasterKey(os.urandom(32)))
    await store.set("partner.client_secret", "secret-v1", actor="bench")
    partner = FakePartner()
    with serve(partner.app(), pki) as port:
        extra: dict[str, Any] = {"response": {"allow_unvalidated": True, "inspect": False}} if token_only else {}
        app = await make_app(pki, port, store, audit=_nothing, **extra)  # type: ignore[arg-type]
        assert (await call(app, "GET", "/orders/1")).status == 200  # warm: token fetched and cached
        t0 = time.perf_counter()
        for _ in range(n):
            await call(app, "GET", "/orders/1")
        loop_egress = (time.perf_counter() - t0) / n

        ctx = partner_ssl_context("bench", ca=pki.ca)
        token = next(iter(partner.tokens))
        pool = UpstreamPool(PoolSettings("127.0.0.1", port, ctx, "partner.test"))
        head = f"GET /api/orders/1 HTTP/1.1\r\nhost: partner.test\r\nauthorization: Bearer {token}\r\n\r\n".encode()

        async def direct() -> None:
            resp = await pool.request("GET", head, None)
            await resp.read_all(1 << 20)
            resp.release()

        await direct()
        t0 = time.perf_counter()
        for _ in range(n):
            await direct()
        loop_direct = (time.perf_counter() - t0) / n
        pool.close()

        canned = PartnerResponse(200, [("content-type", "application/json")],
                                 b'{"id":"1","amount":1250,"currency":"EUR","internal_debug":{"db":"x"}}')

        async def send(*args: Any, **kw: Any) -> PartnerResponse:
            return canned

        app.service.partners["partner"].client.call = send  # type: ignore[method-assign]
        for _ in range(200):
            await call(app, "GET", "/orders/1")
        t0 = time.perf_counter()
        for _ in range(n * 10):
            await call(app, "GET", "/orders/1")
        inproc = (time.perf_counter() - t0) / (n * 10)
        await app.service.aclose()
    await backend.driver.close()
    print(f"in-process egress overhead (cached token, canned partner answer): {inproc * 1e6:.0f} µs/call")
    print(f"loopback TLS partner: direct upstream pool {loop_direct * 1e6:.0f} µs/call, "
          f"through egress {loop_egress * 1e6:.0f} µs/call (+{(loop_egress - loop_direct) * 1e6:.0f} µs)")
    print(f"token requests during the run: {partner.token_requests}")


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    anyio.run(main, int(numbers[0]) if numbers else 300, "--token-only" in sys.argv)
