"""CPU cost per request of the ``minimize`` response policy on a 20 KB JSON response.

    .venv/bin/python -m bench.minimize [--seconds 1.5] [--size 20000]

The upstream body is a page of over-sharing customers (card numbers, password hashes, internal
scores, nested addresses) for ``GET /customers`` of ``tests/fixtures/specs/minimize/customers.yaml``.
Each row runs ``on_response`` in-process on prepared exchanges (no sockets): parse, project onto the
declared schema (in C with msgspec unless ``native: false``), apply the row's rules, serialise. The
figure is process CPU time (``time.process_time``) divided by requests, per round of 200 requests:
the best round (least disturbed by other processes on a shared machine) and the median are printed.
Target for the schema rows: <= 150 µs.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import orjson

from bastion.chain.exchange import Exchange, Principal
from bastion.chain.policy import PolicyDeps
from bastion.http.headers import MutableHeaders
from bastion.openapi import load_document
from bastion.policies.minimize import MinimizeConfig, MinimizePolicy
from bastion.testing.exchange import make_exchange

SPEC = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "specs" / "minimize" / "customers.yaml"


def page(size: int) -> bytes:
    items: list[dict[str, Any]] = []
    body = b""
    while len(body) < size:
        i = len(items)
        items.append({
            "id": i, "name": f"Customer {i}", "email": f"customer{i}@example.com", "phone": "+44 20 7946 0958",
            "card_number": "4111 1111 1111 1111", "password_hash": "$argon2id$v=19$m=65536$c2FsdA$aGFzaA",
            "internal_score": 0.42, "address": {"city": "Oslo", "country": "NO", "street": "Gate 1"},
            "payment": {"kind": "card", "last4": "1111"}, "attributes": {"tier": "gold"},
        })
        body = orjson.dumps({"items": items, "next": None})
    return body


def orders_page(size: int) -> bytes:
    """The demo shop's ``GET /customers/{customer_id}/orders`` with fields the spec does not declare."""
    items: list[dict[str, Any]] = []
    body = b""
    while len(body) < size:
        i = len(items)
        items.append({"id": f"o{i}", "customer_id": "1001", "status": "shipped", "total": "59.80",
                      "items": [{"product_id": f"p{i % 7}", "quantity": 2, "unit_cost": "11.20"}],
                      "payment_card": "4111 1111 1111 1111", "warehouse_note": "fragile", "margin": 0.31})
        body = orjson.dumps({"items": items})
    return body


def exchanges(n: int, body: bytes, scopes: frozenset[str], path: str = "/customers",
              template: str = "/customers") -> list[Exchange]:
    return [make_exchange("GET", path, template=template, response_status=200,
                          principal=Principal("u", "jwt", client_id="bench", scopes=scopes),
                          response_headers=[("content-type", "application/json")], response_body=body)
            for _ in range(n)]


async def measure(name: str, hook: Callable[[Exchange], Awaitable[Any]], pool: list[Exchange], body: bytes,
                  seconds: float) -> float:
    async def run(ex: Exchange) -> None:
        ex.response_body = body
        assert ex.response is not None
        ex.response.headers = MutableHeaders([("content-type", "application/json")])
        problem = await hook(ex)
        assert problem is None, problem

    for ex in pool[:50]:  # warm up (compiles the projector)
        await run(ex)
    rounds: list[float] = []
    total, wall0 = 0, time.perf_counter()
    while time.perf_counter() - wall0 < seconds or len(rounds) < 3:
        cpu0 = time.process_time()
        for ex in pool:
            await run(ex)
        rounds.append((time.process_time() - cpu0) / len(pool) * 1e6)
        total += len(pool)
    rounds.sort()
    best, median = rounds[0], rounds[len(rounds) // 2]
    print(f"{name:<52} {best:8.1f} µs CPU/req best  {median:8.1f} median  ({total} requests in {len(rounds)} rounds;"
          f" out {len(pool[-1].response_body or b'')} B)")
    return best


async def main(seconds: float, size: int) -> None:
    body = page(size)
    deps = PolicyDeps(openapi={"shop": load_document(SPEC)})
    plain = exchanges(200, body, frozenset({"customers:read"}))
    print(f"upstream body: {len(body)} bytes of JSON; {seconds:.1f} s per row")

    def policy(**raw: Any) -> MinimizePolicy:
        return MinimizePolicy(MinimizeConfig.model_validate({"openapi": "shop", **raw}), deps)

    async def baseline(ex: Exchange) -> None:  # parse + serialise only: the floor any JSON rewrite pays
        ex.response_body = orjson.dumps(orjson.loads(ex.response_body or b""))

    await measure("orjson loads+dumps only (floor)", baseline, plain, body, seconds)
    await measure("minimize: schema", policy().on_response, plain, body, seconds)
    await measure("minimize: schema, Python projector (native: false)", policy(native=False).on_response, plain,
                  body, seconds)
    scoped = policy(scoped=[{"scope": "customers:pii", "fields": ["items[].email", "items[].phone"],
                             "otherwise": "mask"}])
    await measure("minimize: schema + scoped mask (normal token)", scoped.on_response, plain, body, seconds)
    pii = exchanges(200, body, frozenset({"customers:read", "customers:pii"}))
    await measure("minimize: schema + scoped (customers:pii token)", scoped.on_response, pii, body, seconds)
    content = policy(pii={"card": "redact", "iban": "redact", "ssn": "block"})
    await measure("minimize: schema + content PII scan (card/iban/ssn)", content.on_response, plain, body, seconds)
    from bastion.demo.config import shop_spec

    orders = orders_page(size)
    shop = MinimizePolicy(MinimizeConfig(openapi="shop"), PolicyDeps(openapi={"shop": load_document(shop_spec())}))
    pool = exchanges(200, orders, frozenset({"orders:read"}), "/customers/1001/orders",
                     "/customers/{customer_id}/orders")
    print(f"demo shop orders: {len(orders)} bytes of JSON")
    await measure("orjson loads+dumps only (floor)", baseline, pool, orders, seconds)
    await measure("minimize: demo shop spec, customer orders", shop.on_response, pool, orders, seconds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--size", type=int, default=20_000)
    args = parser.parse_args()
    anyio.run(main, args.seconds, args.size)
