"""Integration: ``bastion replay`` against a running gateway (``bastion serve`` on loopback) at a small
scale — labelled traffic compressed ten times (detector windows scaled alike), alerts read back from
the admin API, and every detector scored by precision and recall."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bastion.anomaly import evaluation, scenario
from bastion.anomaly.replay_live import ReplayUpstream, fetch_alerts, gateway_config, replay_live
from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream

pytestmark = pytest.mark.integration
TOKEN = "replay-admin-token-0123456789"
SCALE = 0.1


@pytest.fixture
def gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    monkeypatch.setenv("BASTION_REPLAY_TEST_TOKEN", TOKEN)
    lt = LoopThread()
    upstream = RecordingUpstream(lt, app=ReplayUpstream()).start()  # type: ignore[arg-type]
    text = gateway_config(f"http://127.0.0.1:{upstream.port}", "127.0.0.1:0", "127.0.0.1:0", time_scale=SCALE,
                          extra=f"access_log: {{output: {tmp_path}/access.log}}\n"
                                f"audit: {{sink: 'sqlite:///{tmp_path}/audit.db'}}")
    text = text.replace("${env:BASTION_ADMIN_TOKEN}", "${env:BASTION_REPLAY_TEST_TOKEN}")
    gw = GatewayThread(lt, tmp_path, text).start()
    admin = gw.server.admin_bound
    assert admin is not None
    try:
        yield f"http://127.0.0.1:{gw.port}", f"http://127.0.0.1:{admin[1]}"
    finally:
        gw.stop()
        upstream.stop()
        lt.stop()


def test_live_replay_scores_every_detector(gateway: tuple[str, str]) -> None:
    target, admin = gateway
    sc = scenario.build(21, users=15, duration=250, episodes_per_kind=1, warmup=100)

    async def go() -> evaluation.Evaluation:
        t0, counts, as_sent = await replay_live(sc, target, concurrency=32, time_scale=SCALE)
        assert counts["errors"] == 0 and counts["sent"] == len(sc.requests)
        await asyncio.sleep(0.5)
        alerts = await fetch_alerts(admin, TOKEN)
        return evaluation.score(alerts, as_sent, evaluation.ip_identity, t0=t0, time_scale=SCALE)

    result = asyncio.run(go())
    for s in result.scores.values():
        assert s.episodes == 1, s.detector
        assert s.recall == 1.0 and s.precision >= 0.9, (s.to_dict(), [a.to_dict() for a in result.false_alerts])
        # time to detect is asserted in the FakeClock evaluation: here it depends on how fast a loaded
        # CI machine lets the client send a compressed 10 requests/s burst
