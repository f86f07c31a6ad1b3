"""The waf's CPU per request when other work evicts its caches between requests, as the rest of a gateway request does.

    python -m bench.waf_cache [--buffer-kib 4096] [--objects 40000] [--requests 3000]

The waf inspects ``make bench``'s 2 KB JSON POST (wrk's headers with a bearer token) in a loop; between requests the
script writes one byte per 64 of a buffer and reads one key of each of many small dicts (frozen out of the collector
and read without allocating, so no collection lands inside the timed call). Only ``on_request`` is timed (thread CPU
time). Session 20: quiet, 30.9 µs with nothing between and 81 µs with 4 MB and 40,000 objects; inside the gateway
the waf costs about 61 µs on that request (``bench.cpu``).
"""

from __future__ import annotations

import argparse
import gc
import time

import anyio

from bastion.chain.policy import PolicyDeps
from bastion.policies.waf import WafConfig, WafPolicy
from bastion.testing.exchange import make_exchange
from bench.gateway import BODY_2K

TOKEN = ("eyJhbGciOiJFUzI1NiIsImtpZCI6ImJlbmNoIiwidHlwIjoiYXQrand0In0."
         "eyJpc3MiOiJodHRwczovL2JlbmNoLmxvY2FsIiwic3ViIjoiYmVuY2giLCJhdWQiOiJiZW5jaCIsImV4cCI6MTc5NjE1NTAwNSwi"
         "aWF0IjoxNzk2MTU0NDA1LCJqdGkiOiJWWmh4SExaenhWSkM1WHIxak5SQ05Mc1AiLCJzY29wZSI6ImJlbmNoIn0."
         "8bWIxf1MZprZjrfAC85P65xlUO8kcH-jDXHpOsOZ_jalEniQWlXDyS6NG18Lx5TaxtsmnClp7uf31GiltKtqZw")


def measure(buffer_kib: int, objects: int, requests: int) -> float:
    """Mean thread CPU µs of ``WafPolicy.on_request`` per request, with the eviction work between requests."""
    policy = WafPolicy(WafConfig(), PolicyDeps())
    headers = [("host", "127.0.0.1:8080"), ("content-type", "application/json"),
               ("authorization", "Bearer " + TOKEN), ("content-length", str(len(BODY_2K)))]
    exchanges = [make_exchange("POST", "/echo", headers=headers, body=BODY_2K) for _ in range(requests)]
    buffer = bytearray(buffer_kib * 1024)
    stride = b"\x01" * len(buffer[::64])
    items = [{"a": i % 200, "b": str(i)} for i in range(objects)]
    gc.collect()
    gc.freeze()

    def evict() -> None:
        buffer[::64] = stride
        for item in items:
            _ = item["a"]

    async def run() -> int:
        total = 0
        for ex in exchanges:
            evict()
            start = time.thread_time_ns()
            assert await policy.on_request(ex) is None
            total += time.thread_time_ns() - start
        return total

    return anyio.run(run) / requests / 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--buffer-kib", type=int, default=0)
    ap.add_argument("--objects", type=int, default=0)
    ap.add_argument("--requests", type=int, default=3000)
    args = ap.parse_args()
    us = measure(args.buffer_kib, args.objects, args.requests)
    print(f"waf on_request: {us:.1f} µs per request (buffer {args.buffer_kib} KiB, {args.objects} objects between)")


if __name__ == "__main__":
    main()
