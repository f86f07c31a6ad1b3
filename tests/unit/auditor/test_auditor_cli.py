"""Unit: `bastion audit` exit codes, formats, rule selection and baselines (typer's in-process runner)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bastion.auditor.rules import REGISTRY
from bastion.cli import audit as audit_cli

SPECS = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "audit"


def _app() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    audit_cli.register(app)
    return app


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(_app(), ["audit", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("spec", "args", "code"),
    [
        ("shop-flawed-3.0.yaml", [], 1),  # default --fail-on high
        ("shop-flawed-3.0.yaml", ["--fail-on", "critical"], 0),
        ("bare-flawed-3.0.yaml", [], 0),  # only a medium finding
        ("bare-flawed-3.0.yaml", ["--fail-on", "medium"], 1),
        ("shop-clean-3.1.yaml", ["--fail-on", "info", "--hygiene"], 0),
    ],
)
def test_exit_code_follows_fail_on(spec: str, args: list[str], code: int) -> None:
    assert invoke(str(SPECS / spec), *args)[0] == code


def test_hygiene_is_off_by_default_and_separate() -> None:
    _, plain = invoke(str(SPECS / "shop-flawed-3.0.yaml"), "--format", "json")
    _, full = invoke(str(SPECS / "shop-flawed-3.0.yaml"), "--format", "json", "--hygiene")
    plain_ids = {f["rule_id"] for f in json.loads(plain)["findings"]}
    full_findings = json.loads(full)["findings"]
    assert "responses.missing-errors" not in plain_ids
    hygiene_rules = {rule_id for rule_id, rule in REGISTRY.items() if rule.info.hygiene}
    assert len(hygiene_rules) == 7
    assert {f["rule_id"] for f in full_findings if f["hygiene"]} == hygiene_rules


def test_rules_and_exclude_select_by_id_or_family() -> None:
    _, out = invoke(str(SPECS / "shop-flawed-3.0.yaml"), "-f", "json", "--rules", "auth,authz.sequential-id")
    ids = {f["rule_id"] for f in json.loads(out)["findings"]}
    assert ids and all(i.startswith("auth.") or i == "authz.sequential-id" for i in ids)
    _, out = invoke(str(SPECS / "shop-flawed-3.0.yaml"), "-f", "json", "--exclude", "auth,input")
    assert not any(f["rule_id"].startswith(("auth.", "input.")) for f in json.loads(out)["findings"])
    code, out = invoke(str(SPECS / "shop-flawed-3.0.yaml"), "--rules", "no.such-rule")
    assert code == 2 and "unknown rule id(s): no.such-rule" in out


def test_baseline_suppresses_known_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SPECS / "shop-flawed-3.0.yaml", "api.yaml")
    assert invoke("api.yaml", "-f", "json", "-o", "baseline.json")[0] == 1
    code, out = invoke("api.yaml", "--baseline", "baseline.json", "-f", "json")
    assert code == 0 and json.loads(out)["findings"] == []
    text = Path("api.yaml").read_text().replace("type: http\n      scheme: basic", "type: http\n      scheme: digest")
    Path("api.yaml").write_text(text.replace("  /search:\n    get:\n", "  /search:\n    get:\n      security: []\n"))
    code, out = invoke("api.yaml", "--baseline", "baseline.json", "-f", "json")
    new = [(f["rule_id"], f["location"]["operation"]) for f in json.loads(out)["findings"]]
    assert code == 1 and new == [("auth.missing-security", "GET /search")]


def test_report_goes_to_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, out = invoke(str(SPECS / "bare-flawed-3.1.yaml"), "-f", "html", "-o", str(target))
    assert code == 0 and out == "" and "ratelimit.undeclared" in target.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([str(SPECS.parent / "loader" / "swagger12.json")], "unsupported 'swagger' version '1.2'"),
        ([str(SPECS / "missing.yaml")], "file not found"),
        ([str(SPECS / "bare-clean-3.0.yaml"), "-f", "pdf"], "unknown format 'pdf'"),
        ([str(SPECS / "bare-clean-3.0.yaml"), "--fail-on", "severe"], "unknown severity 'severe'"),
    ],
)
def test_unusable_input_exits_2_with_a_clear_message(args: list[str], message: str) -> None:
    code, out = invoke(*args)
    assert code == 2 and message in out


def test_pii_inventory_lists_categories_per_operation() -> None:
    code, out = invoke(str(SPECS / "shop-flawed-3.1.yaml"), "--pii", "-f", "json")
    rows = {r["operation"]: (r["sends"], r["returns"]) for r in json.loads(out)}
    assert code == 1
    assert rows["GET /orders/{order_id}"] == ([], ["payment-card"])
    assert rows["POST /login"] == (["credentials"], ["credentials"])
    assert rows["GET /admin/users"] == ([], ["contact"])
    _, html = invoke(str(SPECS / "shop-flawed-3.1.yaml"), "-f", "html")
    assert "Personal data inventory" in html and "payment-card" in html
