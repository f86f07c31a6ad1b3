"""Unit: ``bastion clients``, ``bastion token`` and ``bastion keys`` against a real SQLite file."""

from __future__ import annotations

import base64
import json
import re
import secrets
from pathlib import Path

import anyio
import pytest
from typer.testing import CliRunner

from bastion.cli.main import app
from bastion.oauth.services import components_from_file


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "master.key").write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    (tmp_path / "apikeys.secret").write_text(secrets.token_urlsafe(48))
    path = tmp_path / "bastion.yaml"
    path.write_text(
        "oauth:\n  issuer: https://gw.example.test\n  database: sqlite:auth.db\n"
        "  master_key: ${file:master.key}\n  api_keys: {hmac_secret: '${file:apikeys.secret}'}\n")
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_clients_create_token_and_claims(config: Path) -> None:
    out = run("clients", "create", "customer-1", "-s", "orders:read", "--claim", 'customers=["c-1"]', "-c",
              str(config))
    secret = re.search(r"client_secret: (\S+)", out)
    assert secret is not None
    token = run("token", "--client", "customer-1", "-c", str(config)).strip()
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["customers"] == ["c-1"] and claims["scope"] == "orders:read"
    assert claims["iss"] == "https://gw.example.test" and claims["exp"] - claims["iat"] == 600
    listing = run("clients", "list", "-c", str(config))
    assert "customer-1" in listing and secret.group(1) not in listing
    run("clients", "revoke", "customer-1", "-c", str(config))
    assert CliRunner().invoke(app, ["token", "--client", "customer-1", "-c", str(config)]).exit_code == 1


def test_rotate_signing_keeps_old_key_published(config: Path) -> None:
    run("clients", "create", "svc", "-s", "a", "-c", str(config))
    run("token", "--client", "svc", "-c", str(config))
    out = run("keys", "rotate-signing", "-c", str(config))
    assert out.count("active") == 1 and out.count("retired") == 1


def test_api_keys_create_list_rotate_revoke(config: Path) -> None:
    out = run("keys", "create", "--owner", "alice", "-s", "orders:read", "-c", str(config))
    key = re.search(r"api_key: (\S+)", out)
    key_id = re.search(r"key_id: (\S+)", out)
    assert key and key_id and key.group(1).startswith("bst_")
    listing = run("keys", "list", "-c", str(config))
    assert key_id.group(1) in listing and key.group(1) not in listing
    rotated = run("keys", "rotate", key_id.group(1), "--overlap", "0", "-c", str(config))
    new_key = re.search(r"api_key: (\S+)", rotated)
    assert new_key is not None
    run("keys", "revoke", key_id.group(1), "-c", str(config))

    async def check() -> tuple[bool, bool]:
        parts = components_from_file(config)
        assert parts.api_keys is not None
        try:
            return (await parts.api_keys.verify(key.group(1)) is None,
                    await parts.api_keys.verify(new_key.group(1)) is not None)
        finally:
            await parts.store.close()

    assert anyio.run(check) == (True, True)



def test_errors_are_one_line_and_exit_1(config: Path, tmp_path: Path) -> None:
    for args in (["clients", "list", "-c", str(tmp_path / "missing.yaml")],
                 ["clients", "rotate", "nobody", "-c", str(config)],
                 ["keys", "rotate", "nokey", "-c", str(config)]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 1 and "error:" in result.output and "Traceback" not in result.output
    no_keys = tmp_path / "nokeys.yaml"
    no_keys.write_text(config.read_text().split("  api_keys")[0])
    result = CliRunner().invoke(app, ["keys", "list", "-c", str(no_keys)])
    assert result.exit_code == 1 and "hmac_secret" in result.output
