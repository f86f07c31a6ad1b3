"""Integration: a running gateway with a secret store holding an overdue secret — the rotation gauges on the
admin listener's /metrics (scraped over HTTP), the ``secret.rotation_due`` event on the signed audit chain
(which still verifies), and ``bastion secrets rotate -c`` recording ``secret.rotation`` on the same log."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from typer.testing import CliRunner

from bastion.cli.main import app
from bastion.observability.audit.record import AuditRecord
from bastion.observability.audit.sink import open_sink
from bastion.observability.audit.verify import verify_records
from bastion.secrets.config import SecretsSection, open_store
from bastion.secrets.crypto import MasterKey
from bastion.testing.clock import FakeClock
from bastion.testing.servers import GatewayThread, LoopThread

pytestmark = pytest.mark.integration
TOKEN = "rotation-admin-token-0123456789"
DAY = 86400.0
CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
admin: {{address: "127.0.0.1:0", token: "${{env:T_ROT_ADMIN}}"}}
audit: {{sink: "sqlite:///{dir}/audit.db", state_dir: "{dir}/state", flush_interval: 50ms}}
access_log: {{enabled: false}}
secrets:
  store: sqlite:secrets.db
  master_key: ${{env:T_ROT_MASTER}}
  rotation: {{max_age: 90d, warn_window: 14d}}
upstreams:
  none: {{url: "http://127.0.0.1:9"}}
routes:
  - id: none
    match: {{prefix: /}}
    upstream: none
    public: true
"""


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("T_ROT_ADMIN", TOKEN)
    monkeypatch.setenv("T_ROT_MASTER", MasterKey.generate_text())
    section = SecretsSection(store="sqlite:secrets.db", master_key="${env:T_ROT_MASTER}")

    async def seed() -> None:
        clock = FakeClock(time.time() - 100 * DAY)
        store = await open_store(section, base_dir=tmp_path, clock=clock)
        await store.set("partner.client_secret", "overdue-value-marker", actor="t")
        clock.advance(99 * DAY)
        await store.set("partner.api_key", "fresh-value-marker", actor="t")
        await store.backend.driver.close()

    anyio.run(seed)
    cfg = tmp_path / "bastion.yaml"
    cfg.write_text(CONFIG.format(dir=tmp_path))
    return cfg


@pytest.fixture
def lt() -> Iterator[LoopThread]:
    t = LoopThread()
    yield t
    t.stop()


def _records(path: Path) -> list[AuditRecord]:
    async def read() -> list[AuditRecord]:
        sink = open_sink(f"sqlite:///{path}")
        try:
            return await sink.read_all()
        finally:
            await sink.close()

    return anyio.run(read)


def test_overdue_secret_in_metrics_and_on_the_audit_chain(configured: Path, lt: LoopThread) -> None:
    gw = GatewayThread(lt, configured.parent, configured.read_text())
    gw.start()
    try:
        admin = gw.server.admin_bound
        assert admin is not None
        resp = httpx.get(f"http://127.0.0.1:{admin[1]}/metrics", headers={"authorization": f"Bearer {TOKEN}"},
                         timeout=10)
        assert resp.status_code == 200
        text = resp.text
        assert 'bastion_secret_rotation_overdue{secret="partner.client_secret"} 1.0' in text
        assert 'bastion_secret_rotation_overdue{secret="partner.api_key"} 0.0' in text
        assert 'bastion_secret_age_seconds{secret="partner.client_secret"}' in text
        assert 'bastion_secret_rotation_seconds_left{secret="partner.client_secret"} -' in text
        assert "value-marker" not in text
        anonymous = httpx.get(f"http://127.0.0.1:{admin[1]}/metrics", timeout=10)
        assert anonymous.status_code == 401
    finally:
        gw.stop()  # drains the audit writer
    records = _records(configured.parent / "audit.db")
    due = [r.payload() for r in records if r.kind == "secret.rotation_due"]
    assert [(d["secret"], d["state"]) for d in due] == [("partner.client_secret", "overdue")]
    assert verify_records(records).ok
    assert not any("value-marker" in r.data for r in records)


def test_secrets_rotate_with_config_records_the_rotation(configured: Path) -> None:
    result = CliRunner().invoke(app, ["secrets", "rotate", "partner.client_secret", "-c", str(configured),
                                      "--actor", "ops"], input="rotated-value-marker\n")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    result = CliRunner().invoke(app, ["secrets", "rotate", "-c", str(configured),
                                      "--new-master-key", "${env:T_ROT_NEW_MASTER}"],
                                env={"T_ROT_NEW_MASTER": MasterKey.generate_text()})
    assert result.exit_code == 0, result.output
    records = _records(configured.parent / "audit.db")
    kinds = {r.kind: r.payload() for r in records}
    assert kinds["secret.rotation"] == {"name": "partner.client_secret", "version": 2, "actor": "ops"}
    assert kinds["key.rotation"]["what"] == "secrets-master" and kinds["key.rotation"]["rewrapped"] == 3
    assert all(r.chain_id.endswith("-cli") for r in records)
    assert verify_records(records).ok
    assert not any("value-marker" in r.data for r in records)
    verified = CliRunner().invoke(app, ["log", "verify", str(configured.parent / "audit.db")])
    assert verified.exit_code == 0 and "OK" in verified.output, verified.output
