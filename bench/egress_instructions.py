"""Instructions of one egress call in-process, counted by callgrind (load-independent): the ``egress`` policy,
the egress app and ``EgressService.call`` down to the partner pool, which is faked (a fixed 200 answer), with a
cached credential and the data-flow inventory on, as ``bench.egress``'s ``bastion-egress-token`` runs them.

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python -m bench.egress_instructions 1000
    valgrind --tool=callgrind --callgrind-out-file=/dev/null python -m bench.egress_instructions 5000

(difference of the two totals) / 4000 = instructions per call, start-up cancelled out. Unlike
``bench.instructions`` on whole gateways, no timer or periodic task of the gateway runs in between, so the
figure does not move with how slowly callgrind's clock lets requests through on a loaded machine.
"""

from __future__ import annotations

import asyncio
import sys
import warnings
from typing import Any

from bastion.chain.exchange import Principal
from bastion.chain.policy import PolicyDeps
from bastion.clock import SYSTEM_CLOCK
from bastion.dataflow.recorder import FlowRecorder
from bastion.egress.build import build_egress
from bastion.egress.config import EgressSection
from bastion.egress.gateway import EgressApp, EgressConfig, EgressPolicy
from bastion.egress.injection import Injected
from bastion.testing.exchange import make_exchange

warnings.simplefilter("ignore")  # (the unvalidated partner's SecurityWarning)


class Answer:
    status = 200
    headers = [("server", "nginx"), ("date", "Mon, 30 Nov 2026 23:00:00 GMT"), ("content-type", "application/json"),
               ("content-length", "600"), ("connection", "keep-alive")]
    body = b'{"items":[' + b'{"id":"p1","name":"x","price":"1.00","currency":"EUR"},' * 10 + b'{}]}'

    def take_complete_body(self) -> bytes:
        return self.body

    def release(self) -> None:
        pass


ANSWER = Answer()


class Pool:
    async def request(self, method: str, head: bytes, body: Any, deadline: float | None = None) -> Answer:
        return ANSWER


class Inj:
    kind = "oauth2"

    def __init__(self) -> None:
        self.inj = Injected([("authorization", "Bearer tok-123")], "v1")

    def ready(self) -> Injected:
        return self.inj


async def main(n: int) -> None:
    section = EgressSection.model_validate({"partners": {"partner": {
        "url": "https://partner.test:8443/api", "callers": ["bench"],
        "response": {"allow_unvalidated": True, "inspect": False}}}})
    svc = await build_egress(section, clock=SYSTEM_CLOCK)
    svc.dataflow = FlowRecorder(None, SYSTEM_CLOCK)
    p = svc.partners["partner"]
    p.injector = Inj()  # type: ignore[assignment]
    p.client.pools[p.origin.key] = Pool()  # type: ignore[assignment]
    policy = EgressPolicy(EgressConfig(), PolicyDeps(clock=SYSTEM_CLOCK, services={"egress": svc}))
    app = EgressApp(svc)
    ex = make_exchange("GET", "/egress/partner/products", principal=Principal("bench", "jwt"),
                       headers=[("accept", "*/*"), ("x-caller-token", "abc"), ("authorization", "Bearer x"),
                                ("user-agent", "wrk")])
    for _ in range(n):
        ex.notes.clear()
        assert await policy.on_request(ex) is None
        status, _, body = await app.serve_exchange(ex)
        assert status == 200, (status, body)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
