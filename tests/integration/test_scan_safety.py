"""Integration: the scanner's guard rails over real sockets.

Safe methods only unless ``--allow-unsafe-methods``; the request budget holds; a redirect to another
host is never followed; Ctrl-C (SIGINT) still writes the partial report.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import anyio
import pytest
from scan_fixtures import Recording, serve, write_login_flow

from bastion.samples.vulnapi import SPEC_PATH, VulnApi
from bastion.scanner.scan import ScanOptions, new_report, run_scan
from bastion.webapp.app import AppRequest, AppResponse

pytestmark = pytest.mark.integration


def _alice_header(api: VulnApi) -> str:
    user = api.store.user_by_name("alice")
    assert user is not None
    return "Authorization: Bearer " + api.tokens.issue(user)


def _scan(port: int, **kw: object) -> None:
    options = ScanOptions(spec=SPEC_PATH, target=f"http://127.0.0.1:{port}", rate=500, **kw)  # type: ignore[arg-type]
    anyio.run(lambda: run_scan(options, new_report(options)))


def test_only_safe_methods_without_allow_unsafe() -> None:
    api = VulnApi(secure=True)
    app = Recording(api)
    with serve(app) as port:
        _scan(port, auth=[_alice_header(api)])
    assert app.seen
    assert {m for m, _ in app.seen} <= {"GET", "HEAD", "OPTIONS"}


def test_request_budget_is_never_exceeded() -> None:
    api = VulnApi(secure=True)
    app = Recording(api)
    with serve(app) as port:
        _scan(port, auth=[_alice_header(api)], max_requests=40)
    assert 0 < len(app.seen) <= 40


class Redirector:
    def __init__(self, port: int) -> None:
        self.port = port

    async def handle(self, request: AppRequest) -> AppResponse:
        return AppResponse(302, [("location", f"http://127.0.0.1:{self.port}{request.path}")])


def test_redirects_off_the_target_are_not_followed() -> None:
    elsewhere = Recording(VulnApi(secure=True))
    with serve(elsewhere) as other_port, serve(Redirector(other_port)) as port:
        _scan(port, auth=["Authorization: Bearer x"], max_requests=200)
    assert elsewhere.seen == []


def test_ctrl_c_writes_the_partial_report(tmp_path: Path) -> None:
    out = tmp_path / "partial.json"
    app = Recording(VulnApi(secure=False))
    with serve(app) as port:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bastion", "scan", "--spec", str(SPEC_PATH), "--target", f"http://127.0.0.1:{port}",
             "--login-flow", str(write_login_flow(tmp_path)), "--allow-unsafe-methods", "--rate", "100",
             "--format", "json", "-o", str(out)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while len(app.seen) < 250 and proc.poll() is None and time.monotonic() < deadline - 20:
            time.sleep(0.05)  # interrupt once the scan is well under way, however slow the machine is
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    assert proc.returncode == 130, err
    report = json.loads(out.read_text())
    assert report["stats"]["interrupted"] is True
    assert report["findings"], "findings confirmed before the interrupt are kept"
