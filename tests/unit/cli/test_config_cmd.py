"""Unit: ``bastion config check`` and ``bastion config schema`` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bastion.cli.main import app

GOOD = """\
listeners:
  - {address: "127.0.0.1:8080", plaintext: true}
upstreams:
  api: {url: "https://api.internal", tls: {verify: false}}
routes:
  - {id: health, match: {path: /health}, upstream: api, public: true}
"""


def test_check_prints_security_warnings(tmp_path: Path) -> None:
    f = tmp_path / "bastion.yaml"
    f.write_text(GOOD)
    result = CliRunner().invoke(app, ["config", "check", str(f)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "plain HTTP" in out and "verify is off" in out and "public" in out and "ok:" in out


def test_check_fails_with_location(tmp_path: Path) -> None:
    f = tmp_path / "bastion.yaml"
    f.write_text(GOOD.replace("public: true", "public: yes please"))
    result = CliRunner().invoke(app, ["config", "check", str(f)])
    assert result.exit_code == 2
    assert f"{f}:6: routes[0].public" in result.output


def test_schema_is_json_schema_with_docs() -> None:
    result = CliRunner().invoke(app, ["config", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "listeners" in schema["properties"]
    assert "Only when said explicitly" in schema["$defs"]["Listener"]["properties"]["plaintext"]["description"]
