"""Instructions the waf alone spends on ``bench.waf``'s 2 KB JSON order, counted by callgrind (load-independent).

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/waf/instructions.py 50
    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/waf/instructions.py 450

A second argument ``gateway`` measures the gateway bench's request instead (``bench.gateway.BODY_2K`` posted to
``/echo`` with ``Host: 127.0.0.1:8080``, as wrk sends it).

(difference of the two totals) / 400 = instructions per request, start-up and imports cancelled out. Run it
with ``PYTHONHASHSEED=0`` and ``PYTHONPATH=<tree>/src:.`` to compare two versions of ``src/bastion/detection``
(e.g. ``git archive <rev> src | tar -x -C /tmp/old``) on the same machine.
"""

from __future__ import annotations

import sys

import anyio

from bastion.chain.policy import PolicyDeps
from bastion.policies.waf import WafConfig, WafPolicy
from bastion.testing.exchange import make_exchange

try:
    from bench.waf import two_kb_order
except ImportError:  # run as a script from the repository root with PYTHONPATH=src:.
    sys.path.insert(0, ".")
    from bench.waf import two_kb_order

HEADERS = [("content-type", "application/json"), ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0"),
           ("authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2ln")]


def main(rounds: int, request: str = "order") -> None:
    policy = WafPolicy(WafConfig(), PolicyDeps())
    if request == "gateway":
        from bench.gateway import BODY_2K

        headers = [("content-type", "application/json"), ("host", "127.0.0.1:8080"), HEADERS[2]]
        exchanges = [make_exchange("POST", "/echo", headers=headers, body=BODY_2K) for _ in range(rounds)]
    else:
        body = two_kb_order()
        exchanges = [make_exchange("POST", "/api/v1/orders", query="expand=items", headers=HEADERS, body=body)
                     for _ in range(rounds)]

    async def run() -> None:
        for ex in exchanges:
            assert await policy.on_request(ex) is None

    anyio.run(run)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100, sys.argv[2] if len(sys.argv) > 2 else "order")
