"""Replay a scenario against a running gateway, in real time, and collect the alerts it raised.

Each request carries ``X-Forwarded-For: <the simulated client IP>`` (configure the gateway to trust
the replay host in ``trusted_proxies``), and ``X-Replay-Status``/``X-Replay-Bytes`` telling the
replay upstream (``ReplayUpstream``) what to answer, so the gateway sees the scenario's statuses and
response sizes. Identities are therefore IPs (``ip:…``); scoring uses ``ip_identity``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any

import httpx

from bastion.anomaly.model import Alert
from bastion.anomaly.scenario import Req, Scenario
from bastion.webapp import AppRequest, AppResponse

MAX_BYTES = 2 * 1024 * 1024


class ReplayUpstream:
    """The upstream for live replays: answers with the status and body size the request asks for."""

    async def handle(self, request: AppRequest) -> AppResponse:
        status = request.headers.get("x-replay-status") or "200"
        size = request.headers.get("x-replay-bytes") or "100"
        code = int(status) if status.isdigit() and 200 <= int(status) <= 599 else 200
        n = min(int(size), MAX_BYTES) if size.isdigit() else 100
        return AppResponse(code, [("content-type", "application/octet-stream")], b"x" * n)


def gateway_config(upstream_url: str, listen: str = "127.0.0.1:8080", admin: str = "127.0.0.1:9000",
                   time_scale: float = 1.0, extra: str = "") -> str:
    """A ``bastion.yaml`` whose routes mirror the scenario's API, all forwarded to the replay upstream,
    with the detectors' durations scaled for a compressed replay (``time_scale``)."""
    import orjson

    from bastion.anomaly.config import AnomalySection
    from bastion.anomaly.evaluation import scale_config
    from bastion.anomaly.scenario import ROUTES

    anomaly = scale_config(AnomalySection(), time_scale).model_dump(mode="json")
    lines = [
        "listeners:", f"  - address: {listen}", "    plaintext: true",
        f"admin: {{address: {admin}, token: \"${{env:BASTION_ADMIN_TOKEN}}\"}}",
        "trusted_proxies: [127.0.0.1/32]",
        f"anomaly: {orjson.dumps(anomaly).decode()}",
        *([extra] if extra else []),
        "upstreams:", f"  replay: {{url: \"{upstream_url}\"}}", "routes:",
    ]
    for rid, (method, template, _, _) in ROUTES.items():
        lines += [f"  - id: {rid}", f"    match: {{methods: [{method}], path: \"{template}\"}}",
                  "    upstream: replay", "    public: true"]
    return "\n".join(lines) + "\n"


async def _send(client: httpx.AsyncClient, req: Req, stats: dict[str, int]) -> None:
    headers = {"x-forwarded-for": req.ip, "x-replay-status": str(req.status), "x-replay-bytes": str(req.bytes)}
    try:
        resp = await client.request(req.method, req.path, headers=headers)
        await resp.aread()
        stats["sent"] += 1
    except httpx.HTTPError:
        stats["errors"] += 1


async def replay_live(scenario: Scenario, target: str, *, concurrency: int = 64, time_scale: float = 1.0,
                      progress: Any = None) -> tuple[float, dict[str, int], Scenario]:
    """Send every request at its time in ``scenario`` played ``1/time_scale`` times faster.

    Returns the wall-clock time of second 0, counts, and the scenario *as sent*: episodes re-timed
    from when their requests actually left (in scenario seconds), so a client that falls behind
    on a busy machine does not make detection look late or early.
    """
    stats = {"sent": 0, "errors": 0}
    sent_at: dict[int, list[float]] = {}
    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=target, limits=limits, timeout=10.0) as client:
        t0 = time.time()
        start = time.monotonic()
        tasks: set[asyncio.Task[None]] = set()

        async def one(req: Req) -> None:
            async with sem:
                if req.episode is not None:
                    sent_at.setdefault(req.episode, []).append((time.time() - t0) / time_scale)
                await _send(client, req, stats)

        for i, req in enumerate(scenario.requests):
            delay = req.t * time_scale - (time.monotonic() - start)
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(one(req))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            if progress is not None and i % 200 == 0:
                progress(i, len(scenario.requests))
        await asyncio.gather(*tasks)
    episodes = [replace(ep, start=min(sent_at.get(ep.id, [ep.start])), end=max(sent_at.get(ep.id, [ep.end])))
                for ep in scenario.episodes]
    return t0, stats, Scenario(scenario.requests, episodes, scenario.duration)


async def fetch_alerts(admin: str, token: str) -> list[Alert]:
    async with httpx.AsyncClient(base_url=admin, timeout=10.0) as client:
        resp = await client.get("/admin/alerts", params={"limit": 10_000},
                                headers={"authorization": f"Bearer {token}"})
        resp.raise_for_status()
        return [Alert(a["detector"], a["identity"], a["route"], a["started_at"], a["severity"], a["evidence"],
                      a["detected_at"], a["action"], a["id"]) for a in resp.json()["alerts"]]
