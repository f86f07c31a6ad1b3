"""Integration: reload and graceful shutdown under load, as a user runs them."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response
from conftest import BASE_CONFIG

pytestmark = pytest.mark.integration


@pytest.fixture
def slow_upstream(lt: LoopThread) -> Iterator[RecordingUpstream]:
    r = Router()

    async def slow(req: AppRequest) -> AppResponse:
        up.requests.append(req)
        await asyncio.sleep(float(req.query.get("s", "0.3")))
        return json_response({"slow": True})

    async def fast(req: AppRequest) -> AppResponse:
        return json_response({"fast": True})

    r.add("GET", "/slow", slow)
    r.add("GET", "/fast", fast)
    r.add("GET", "/new", fast)
    up = RecordingUpstream(lt, app=r)
    up.start()
    yield up
    up.stop()


def _hammer(url: str, stop: threading.Event, results: list[int]) -> None:
    with httpx.Client() as c:
        while not stop.is_set():
            try:
                results.append(c.get(url, timeout=5).status_code)
            except httpx.HTTPError:
                results.append(-1)


def test_reload_swaps_routes_and_refuses_a_bad_file(make_gateway: Callable[[str], GatewayThread],
                                                    slow_upstream: RecordingUpstream,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    text = BASE_CONFIG.format(port=slow_upstream.port, extra="").replace("prefix: /", "path: /fast")
    gw = make_gateway(text)
    url = f"http://127.0.0.1:{gw.port}"
    assert httpx.get(url + "/new").status_code == 404
    assert gw.reload(text.replace("path: /fast", "prefix: /"))
    assert httpx.get(url + "/new").status_code == 200
    bad = text.replace("prefix: /", "prefix: /").replace("public: true", "public: maybe")
    assert not gw.reload(bad)
    assert "reload refused" in caplog.text and "routes[0].public" in caplog.text
    assert httpx.get(url + "/fast").status_code == 200, "the old configuration keeps serving"
    unauth = text.replace("    public: true\n", "")
    assert not gw.reload(unauth)
    assert "no authentication policy" in caplog.text


def test_reload_under_load_drops_nothing(make_gateway: Callable[[str], GatewayThread],
                                         slow_upstream: RecordingUpstream) -> None:
    text = BASE_CONFIG.format(port=slow_upstream.port, extra="")
    gw = make_gateway(text)
    stop = threading.Event()
    results: list[int] = []
    threads = [threading.Thread(target=_hammer, args=(f"http://127.0.0.1:{gw.port}/fast", stop, results))
               for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(5):
        time.sleep(0.1)
        assert gw.reload(text.replace("id: echo", f"id: echo{i}"))
    stop.set()
    for t in threads:
        t.join()
    assert len(results) > 20
    assert set(results) == {200}


def test_drain_lets_in_flight_requests_finish(lt: LoopThread, tmp_path: Path,
                                              slow_upstream: RecordingUpstream) -> None:
    gw = GatewayThread(lt, tmp_path, BASE_CONFIG.format(port=slow_upstream.port, extra="")).start()
    results: list[int] = []

    def call() -> None:
        results.append(httpx.get(f"http://127.0.0.1:{gw.port}/slow?s=0.5", timeout=5).status_code)

    threads = [threading.Thread(target=call) for _ in range(5)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert gw.server.gateway is not None
        if gw.server.gateway.inflight == 5:
            break
        time.sleep(0.01)
    assert gw.server.gateway is not None and gw.server.gateway.inflight == 5
    gw.stop()
    for t in threads:
        t.join()
    assert results == [200] * 5
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{gw.port}/fast", timeout=2)


def test_serve_process_with_workers_reloads_on_sighup_and_drains_on_sigterm(
        tmp_path: Path, slow_upstream: RecordingUpstream) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = tmp_path / "bastion.yaml"
    text = BASE_CONFIG.format(port=slow_upstream.port, extra="").replace("127.0.0.1:0", f"127.0.0.1:{port}")
    cfg.write_text(text.replace("prefix: /", "path: /slow"))
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "bastion", "serve", "-c", str(cfg), "--workers", "2"],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONWARNINGS": ""})
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(url + "/slow?s=0", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        assert httpx.get(url + "/fast").status_code == 404
        cfg.write_text(text)
        proc.send_signal(signal.SIGHUP)
        # both workers must have reloaded: six 200s in a row could all come from the first one to do so
        # (each new connection lands on either worker), thirty in a row (1 in 10^9 by chance) cannot
        deadline = time.monotonic() + 20  # generous: workers reload in well under a second on a quiet machine
        in_a_row = 0
        while in_a_row < 30 and time.monotonic() < deadline:
            in_a_row = in_a_row + 1 if httpx.get(url + "/fast").status_code == 200 else 0
        assert in_a_row == 30
        results: list[int] = []
        t = threading.Thread(target=lambda: results.append(httpx.get(url + "/slow?s=1.5", timeout=10).status_code))
        t.start()
        deadline = time.monotonic() + 5
        while not any(r.path == "/slow" and "s=1.5" in r.query_string for r in slow_upstream.requests):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        proc.send_signal(signal.SIGTERM)
        t.join()
        assert results == [200]
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in state  # a zombie nobody reaped has exited


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="worker parent-death signal is Linux-only")
def test_workers_stop_when_the_master_is_killed(tmp_path: Path, slow_upstream: RecordingUpstream) -> None:
    """kill -9 on the master used to leave its workers serving on the port, orphaned: nothing could
    reload or stop them but a kill of each. They now get SIGTERM from the kernel and drain."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = tmp_path / "bastion.yaml"
    cfg.write_text(BASE_CONFIG.format(port=slow_upstream.port, extra="").replace("127.0.0.1:0", f"127.0.0.1:{port}"))
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "bastion", "serve", "-c", str(cfg), "--workers", "2"],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONWARNINGS": ""})
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 30
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        while time.monotonic() < deadline:
            workers = [int(p) for p in children.read_text().split()]
            try:
                if len(workers) == 2 and httpx.get(f"http://127.0.0.1:{port}/slow?s=0", timeout=1).status_code:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        assert len(workers) == 2
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 20
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers)
    finally:
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


def test_served_gateway_freezes_its_start_up_heap_and_a_reload_unfreezes_it(
        lt: LoopThread, tmp_path: Path, slow_upstream: RecordingUpstream) -> None:
    """``bastion serve`` keeps what start-up built out of later collections; after a reload the old
    configuration must be collectable again, so the freeze is lifted."""
    import gc

    from bastion.server.runner import GC_YOUNG_THRESHOLD

    text = BASE_CONFIG.format(port=slow_upstream.port, extra="")
    before = gc.get_threshold()
    gw = GatewayThread(lt, tmp_path, text)
    gw.server.freeze_heap = True
    try:
        gw.start()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
        assert httpx.get(f"http://127.0.0.1:{gw.port}/fast").status_code == 200
        assert gw.reload(text.replace("id: echo", "id: echo2"))
        assert gc.get_freeze_count() == 0
        assert httpx.get(f"http://127.0.0.1:{gw.port}/fast").status_code == 200
    finally:
        gw.stop()
        gc.unfreeze()
        gc.set_threshold(*before)
