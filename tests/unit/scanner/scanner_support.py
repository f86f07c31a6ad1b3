"""Unit-test support for probes: a context over the sample spec, and a driver for probe generators."""

from __future__ import annotations

from collections.abc import Callable

import orjson

from bastion.samples.vulnapi import SPEC_PATH
from bastion.scanner.context import Exchange, Identity, ScanContext
from bastion.scanner.messages import CanaryHits, Flow, Offline, OfflineResult, ProbeRequest, ProbeResponse, Reply, Step
from bastion.scanner.spec import load_operations

OPERATIONS = load_operations(SPEC_PATH)


def context(**identities: str) -> ScanContext:
    ctx = ScanContext(list(OPERATIONS), target="http://api.test", allow_unsafe=True)
    for name, token in identities.items():
        ctx.identities[name] = Identity(name, (("Authorization", f"Bearer {token}"),), username=name)
    return ctx


def ok(data: object, status: int = 200) -> ProbeResponse:
    return ProbeResponse(status, (("content-type", "application/json"),), orjson.dumps(data))


def baseline(ctx: ScanContext, label: str, identity: str, path: str, data: object) -> None:
    method = label.split(" ", 1)[0]
    request = ProbeRequest(method, path, identity=identity, purpose="baseline", operation=label)
    response = ok(data)
    ctx.baselines[(label, identity)] = Exchange(request, response)
    ctx.record(request, response)


def drive(flow: Flow, respond: Callable[[ProbeRequest], ProbeResponse]) -> list[ProbeRequest]:
    """Run a probe to completion with ``next``/``send``; returns the requests it yielded."""
    sent: list[ProbeRequest] = []
    try:
        step: Step = next(flow)
        while True:
            reply: Reply
            if isinstance(step, ProbeRequest):
                sent.append(step)
                reply = respond(step)
            elif isinstance(step, Offline):
                reply = OfflineResult(step.work())
            else:
                reply = CanaryHits()
            step = flow.send(reply)
    except StopIteration:
        return sent
