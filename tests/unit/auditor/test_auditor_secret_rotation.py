"""Unit: `bastion audit --config` reports overdue and soon-due secrets of the SQLite secret store the config
names (typer's in-process runner, a real store file): names and dates only, without the master key."""

from __future__ import annotations

import json
import time
from pathlib import Path

import anyio
import pytest
from typer.testing import CliRunner

from bastion.cli.main import app
from bastion.secrets.config import SecretsSection, open_store
from bastion.secrets.crypto import MasterKey
from bastion.testing.clock import FakeClock

SPEC = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "audit" / "shop-clean-3.1.yaml"
DAY = 86400.0
CONFIG = """\
secrets:
  store: sqlite:state/secrets.db
  master_key: ${env:T_AUDIT_MASTER}
  rotation: {max_age: 90d, warn_window: 14d}
  policies:
    partner.api_key: {max_age: 30d, warn_window: 7d}
"""


def _seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("T_AUDIT_MASTER", MasterKey.generate_text())
    cfg = tmp_path / "bastion.yaml"
    cfg.write_text(CONFIG)
    section = SecretsSection.model_validate({"store": "sqlite:state/secrets.db",
                                             "master_key": "${env:T_AUDIT_MASTER}"})

    async def seed() -> None:
        clock = FakeClock(time.time() - 100 * DAY)
        store = await open_store(section, base_dir=tmp_path, clock=clock)
        await store.set("partner.client_secret", "overdue-value-marker", actor="t")  # 100 days old
        clock.advance(20 * DAY)
        await store.set("partner.old_token", "soon-value-marker", actor="t")  # 80 of 90 days: due soon
        clock.advance(75 * DAY)
        await store.set("partner.api_key", "fresh-value-marker", actor="t")  # 5 of 30 days: fine
        await store.backend.driver.close()

    anyio.run(seed)
    monkeypatch.delenv("T_AUDIT_MASTER")  # the audit reads metadata only: no master key needed
    return cfg


def _audit(cfg: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", str(SPEC), "--config", str(cfg), "--format", "json", *args])
    return result.exit_code, result.output


def test_overdue_and_due_soon_secrets_are_findings_without_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = _seed(tmp_path, monkeypatch)
    code, out = _audit(cfg, "--rules", "secrets")
    findings = {f["rule_id"]: f for f in json.loads(out)["findings"]}
    assert set(findings) == {"secrets.rotation-overdue", "secrets.rotation-due-soon"}
    assert "'partner.client_secret' (version 1) was due 10.0 days ago" in findings["secrets.rotation-overdue"][
        "message"]
    assert "'partner.old_token'" in findings["secrets.rotation-due-soon"]["message"]
    assert findings["secrets.rotation-overdue"]["severity"] == "high"
    assert code == 1  # high is at the default --fail-on
    assert "value-marker" not in out


def test_rotation_findings_follow_rule_selection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _seed(tmp_path, monkeypatch)
    code, out = _audit(cfg, "--rules", "secrets", "--exclude", "secrets.rotation-overdue")
    assert [f["rule_id"] for f in json.loads(out)["findings"]] == ["secrets.rotation-due-soon"]
    assert code == 0  # only a low finding left
    _, out = _audit(cfg, "--rules", "config")
    assert not [f for f in json.loads(out)["findings"] if f["rule_id"].startswith("secrets.")]


def test_a_store_missing_here_is_reported_and_not_created(tmp_path: Path) -> None:
    cfg = tmp_path / "bastion.yaml"
    cfg.write_text(CONFIG)
    code, out = _audit(cfg, "--rules", "secrets")
    (finding,) = json.loads(out)["findings"]
    assert (finding["rule_id"], finding["severity"], code) == ("secrets.rotation-unchecked", "low", 0)
    assert not (tmp_path / "state").exists()


def test_an_unreadable_store_is_a_medium_finding_without_its_path(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "secrets.db").write_bytes(b"this is not a database" * 100)
    cfg = tmp_path / "bastion.yaml"
    cfg.write_text(CONFIG)
    _, out = _audit(cfg, "--rules", "secrets")
    (finding,) = json.loads(out)["findings"]
    assert (finding["rule_id"], finding["severity"]) == ("secrets.rotation-unchecked", "medium")
    assert str(tmp_path) not in finding["message"]


def test_without_a_secrets_section_there_is_nothing_to_report(tmp_path: Path) -> None:
    cfg = tmp_path / "bastion.yaml"
    cfg.write_text("listeners: [{address: 127.0.0.1:8080, plaintext: true}]\n")
    _, out = _audit(cfg, "--rules", "secrets")
    assert json.loads(out)["findings"] == []
