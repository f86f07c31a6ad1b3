"""Unit: `bastion secrets` commands against a SQLite file store (CliRunner, no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bastion.cli.main import app
from bastion.secrets.crypto import MasterKey


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("T_MASTER", MasterKey.generate_text())
    monkeypatch.setenv("T_MASTER_NEW", MasterKey.generate_text())
    return {"BASTION_SECRETS_STORE": f"sqlite:{tmp_path}/s.db",
            "BASTION_SECRETS_MASTER_KEY": "${env:T_MASTER}"}


def _run(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(app, ["secrets", *args], input=stdin, env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_set_get_rotate_list_delete_cycle(env: dict[str, str]) -> None:
    assert "version 1" in _run(env, "set", "partner.key", "--max-age", "30d", stdin="first-value\n")
    assert "first-value" not in _run(env, "get", "partner.key")
    assert _run(env, "get", "partner.key", "--reveal").strip() == "first-value"
    assert "version 2" in _run(env, "rotate", "partner.key", "--actor", "ops", stdin="second-value")
    listed = json.loads(_run(env, "list", "--json"))
    assert [(r["name"], r["version"], r["rotated_by"], r["rotation"]) for r in listed] == [
        ("partner.key", 2, "ops", "ok")
    ]
    assert "second-value" not in json.dumps(listed)
    assert "deleted 2 versions" in _run(env, "delete", "partner.key", "--yes")


def test_import_dotenv_and_master_rotation(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "in.env").write_text("# partners\nA_KEY=alpha\nB_KEY='beta'\n")
    out = _run(env, "import", str(tmp_path / "in.env"), "--prefix", "p.")
    assert "p.A_KEY version 1" in out and "p.B_KEY version 1" in out
    assert "re-wrapped 2 data keys" in _run(env, "rotate", "--new-master-key", "${env:T_MASTER_NEW}")
    new_env = {**env, "BASTION_SECRETS_MASTER_KEY": "${env:T_MASTER_NEW}"}
    assert _run(new_env, "get", "p.B_KEY", "--reveal").strip() == "beta"
    old = CliRunner().invoke(app, ["secrets", "get", "p.B_KEY", "--reveal"], env=env)
    assert old.exit_code == 2 and "beta" not in old.output


def test_literal_master_key_in_config_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    cfg = tmp_path / "bastion.yaml"
    cfg.write_text(f"secrets:\n  store: sqlite:s.db\n  master_key: {MasterKey.generate_text()}\n")
    result = CliRunner().invoke(app, ["secrets", "list", "-c", str(cfg)], env={})
    assert result.exit_code == 2 and "master_key: Value error, must be a reference" in result.output


def test_empty_value_is_refused(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["secrets", "set", "x"], input="", env=env)
    assert result.exit_code == 2 and "empty value" in result.output
