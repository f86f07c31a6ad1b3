"""Integration (browser): the dashboard in real headless Chromium (Debian's, driven by Playwright)
against the admin App on loopback — log in, watch the numbers move while traffic is fed, lift a
block and see it gone."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bastion.anomaly.blocklist import Block
from bastion.observability.factory import Monitoring, build_monitoring
from bastion.testing.exchange import make_exchange
from bastion.webapp.asgi import to_asgi

pytestmark = [pytest.mark.integration, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TOKEN = "dashboard-test-token-0123456789"


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Monitoring, asyncio.AbstractEventLoop]]:
    mon = build_monitoring(audit={"sink": f"sqlite:///{tmp_path}/audit.db"}, access_log={"enabled": False},
                           admin_token=TOKEN, base_dir=tmp_path)
    server = _Server(uvicorn.Config(to_asgi(mon.admin), host="127.0.0.1", port=0, log_level="error",
                                    lifespan="off", access_log=False))
    loops: list[asyncio.AbstractEventLoop] = []

    def run() -> None:
        async def main() -> None:
            loops.append(asyncio.get_running_loop())
            await mon.start()
            await server.serve()
            await mon.stop()

        asyncio.run(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "admin server did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", mon, loops[0]
    finally:
        server.should_exit = True
        thread.join(10)


def _feed(mon: Monitoring, loop: asyncio.AbstractEventLoop, n: int, status: int = 200) -> None:
    def observe() -> None:
        now = time.time()
        for i in range(n):
            ex = make_exchange("GET", f"/orders/{i}", route_id="get-order", template="/orders/{order_id}",
                               client_ip=f"198.51.100.{i % 5}", response_status=status, received_at=now - 0.003)
            ex.completed_at = now
            mon.observer.observe(ex)

    loop.call_soon_threadsafe(observe)


def test_dashboard_login_live_numbers_and_lifting_a_block(served: tuple[str, Monitoring, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, mon, loop = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            page.goto(base + "/dashboard")
            assert page.url.endswith("/login")
            page.fill("#token", "not-the-token-at-all")
            page.click("#login-submit")
            expect(page.locator("#login-error")).to_contain_text("Wrong admin token")
            page.fill("#token", TOKEN)
            page.click("#login-submit")
            page.wait_for_url(base + "/dashboard")

            expect(page.locator("#stat-requests")).to_have_text("0", timeout=10_000)
            _feed(mon, loop, 120)
            expect(page.locator("#stat-requests")).to_have_text("120", timeout=10_000)
            _feed(mon, loop, 30, status=503)
            expect(page.locator("#stat-requests")).to_have_text("150", timeout=10_000)
            expect(page.locator("#stat-errors")).not_to_have_text("0.0 %", timeout=10_000)
            expect(page.locator("#top-routes")).to_contain_text("get-order")
            expect(page.locator("#audit-state")).to_have_text("OK", timeout=10_000)

            assert mon.blocklist is not None
            now = time.time()
            loop.call_soon_threadsafe(mon.blocklist.add_now,  # type: ignore[attr-defined]
                                      Block("ip:203.0.113.66", "scanning alert", now, now + 600, "anomaly:scanning"))
            row = page.locator('#blocks tr[data-key="ip:203.0.113.66"]')
            expect(row).to_be_visible(timeout=10_000)
            row.locator("button.lift").click()
            expect(row).to_have_count(0, timeout=10_000)
        finally:
            browser.close()
    remaining = asyncio.run_coroutine_threadsafe(mon.blocklist.list(), loop).result(5)
    assert remaining == []
