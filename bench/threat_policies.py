"""CPU cost per request of rate_limit (memory, Redis), validate, ip_filter, methods, cors on a 2 KB JSON POST.

    .venv/bin/python -m bench.threat_policies [--seconds 1.5] [--redis redis://127.0.0.1:6379/0]

Each policy runs in-process on prepared exchanges (no sockets except Redis), in a short loop;
the figure is process CPU time (``time.process_time``) divided by requests, so Redis's own CPU is
not counted (its round-trip wall time is printed beside it).
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import orjson

from bastion.chain.exchange import Exchange
from bastion.chain.policy import PolicyDeps
from bastion.chain.registry import build_policy
from bastion.http.messages import ResponseHead
from bastion.openapi import load_document
from bastion.policies.rate_limit import RateLimitConfig, RateLimitPolicy
from bastion.policies.validate import ValidateConfig, ValidatePolicy
from bastion.state import build_state
from bastion.testing.exchange import make_exchange

SPEC = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "specs" / "validate" / "orders.yaml"


def order_body(size: int = 2048) -> bytes:
    lines: list[dict[str, Any]] = []
    body = b""
    while len(body) < size - 60:
        lines.append({"sku": f"SKU-{len(lines):05d}-BLUE-XL-COTTON", "qty": len(lines) % 9 + 1})
        note = "Please ring twice; leave the parcel with the neighbour at number 12 if nobody answers. " * 5
        body = orjson.dumps({"items": lines, "total": {"amount": 129.95, "currency": "EUR"}, "note": note})
    return body


def exchanges(n: int, body: bytes) -> list[Exchange]:
    out = []
    for i in range(n):
        ex = make_exchange("POST", "/v1/orders", body=body, client_ip=f"10.0.{i % 200}.{i % 250}",
                           headers=[("content-type", "application/json"), ("content-length", str(len(body)))])
        ex.request_id = str(uuid.UUID(int=i))
        out.append(ex)
    return out


async def measure(name: str, hook: Callable[[Exchange], Awaitable[Any]], pool: list[Exchange],
                  seconds: float) -> None:
    for ex in pool[:200]:  # warm up
        await hook(ex)
    n, cpu0, wall0 = 0, time.process_time(), time.perf_counter()
    while time.perf_counter() - wall0 < seconds:
        for ex in pool:
            await hook(ex)
        n += len(pool)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(f"{name:<34} {cpu / n * 1e6:8.1f} µs CPU/req   {wall / n * 1e6:8.1f} µs wall/req   ({n} requests)")


def rate_limit_hook(policy: RateLimitPolicy) -> Callable[[Exchange], Awaitable[Any]]:
    async def hook(ex: Exchange) -> None:
        ex.notes.clear()
        await policy.on_request(ex)
        ex.response = ResponseHead(200)
        await policy.on_response(ex)
        await policy.on_complete(ex)

    return hook


async def main(seconds: float, redis_url: str) -> None:
    body = order_body()
    pool = exchanges(1000, body)
    print(f"body: {len(body)} bytes of JSON; {seconds:.1f} s per row")
    raw = {"key": "ip", "limits": [{"name": "burst", "rate": "1000/second"}, {"name": "day", "quota": "10000000/day"}]}
    memory = RateLimitPolicy(RateLimitConfig.model_validate(raw), PolicyDeps(route_id="bench"))
    await measure("rate_limit (memory, 2 limits)", rate_limit_hook(memory), pool, seconds)
    state = build_state(redis_url, prefix=f"bench-{uuid.uuid4().hex[:8]}:")
    try:
        shared = RateLimitPolicy(RateLimitConfig.model_validate(raw), PolicyDeps(services={"state": state},
                                                                                  route_id="bench"))
        await measure("rate_limit (redis, 2 limits)", rate_limit_hook(shared), pool, seconds)
    finally:
        keys = [k async for k in state.redis.scan_iter(match=state.prefix + "*")]
        if keys:
            await state.redis.delete(*keys)
        await state.redis.aclose()
    validate = ValidatePolicy(ValidateConfig(openapi="orders"), PolicyDeps(openapi={"orders": load_document(SPEC)}))
    problem = await validate.on_request(pool[0])
    assert problem is None, problem
    await measure("validate (2 KB JSON POST)", validate.on_request, pool, seconds)
    small = {"ip_filter": {"allow": ["10.0.0.0/8"], "deny": ["10.6.6.0/24"]}, "methods": {"allow": ["GET", "POST"]},
             "cors": {"origins": ["https://app.example.com"]}}
    for name, raw_cfg in small.items():
        policy = build_policy(name, raw_cfg, PolicyDeps(), "bench")
        await measure(name, policy.on_request, pool, seconds / 3)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    anyio.run(main, args.seconds, args.redis)
