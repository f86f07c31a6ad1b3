"""Integration: the secure twin of the sample API yields no finding, through the real CLI.

``bastion scan`` runs as a subprocess against the twin on loopback with every check enabled: the SARIF
report it writes validates and holds zero results, the progress stays off stdout, and the exit code
is 0 with ``--fail-on low``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scan_fixtures import serve, write_login_flow

from bastion.samples.vulnapi import SPEC_PATH, VulnApi

pytestmark = pytest.mark.integration
BASTION = [sys.executable, "-m", "bastion"]


def test_secure_twin_yields_no_findings(tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    with serve(VulnApi(secure=True)) as port:
        result = subprocess.run(
            [*BASTION, "scan", "--spec", str(SPEC_PATH), "--target", f"http://127.0.0.1:{port}",
             "--login-flow", str(write_login_flow(tmp_path)), "--allow-unsafe-methods", "--rate", "500",
             "--format", "sarif", "--fail-on", "low", "-o", str(out)],
            capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "stopped early" not in result.stderr
    sarif = json.loads(out.read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == []


def test_vulnerable_api_fails_the_build_and_prints_json_to_stdout(tmp_path: Path) -> None:
    with serve(VulnApi(secure=False)) as port:
        result = subprocess.run(
            [*BASTION, "scan", "--spec", str(SPEC_PATH), "--target", f"http://127.0.0.1:{port}",
             "--login-flow", str(write_login_flow(tmp_path)), "--checks", "auth-tokens,bola",
             "--format", "json", "--fail-on", "high"],
            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    rules = {f["rule_id"] for f in report["findings"]}
    assert {"auth.alg-none", "bola.read"} <= rules
