"""Unit: the STRIDE threat model built from the fixture specs and configs, and `bastion threat-model`."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bastion.auditor import load_config
from bastion.cli import threat_model as threat_model_cli
from bastion.openapi import load_document
from bastion.threatmodel import render_html, render_markdown, render_svg, threat_model

SPECS = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "audit"
NOW = datetime(2026, 11, 29, tzinfo=UTC)


def test_clean_spec_behind_clean_config_leaves_no_residual_risk() -> None:
    model, threats = threat_model(load_document(SPECS / "shop-clean-3.0.yaml"), now=NOW,
                                  config=load_config(SPECS / "bastion-clean.yaml"))
    assert [t.template.id for t in threats if t.residual] == []
    assert {e.id for e in model.elements} == {"client", "gateway", "upstream:shop", "third-party"}
    to_client = next(f for f in model.flows if (f.source, f.target) == ("gateway", "client"))
    assert to_client.categories == {"contact", "credentials"} and len(to_client.operations) == 8


def test_flawed_spec_and_config_rank_residual_risks_worst_first() -> None:
    model, threats = threat_model(load_document(SPECS / "shop-flawed-3.0.yaml"), now=NOW,
                                  config=load_config(SPECS / "bastion-flawed.yaml"))
    residual = [t for t in threats if t.residual]
    assert [t.severity for t in residual] == sorted((t.severity for t in residual), reverse=True)
    bola = next(t for t in threats if t.template.id == "object-level")
    assert {f.rule_id for f in bola.findings} == {"authz.object-level", "authz.sequential-id"}
    spoofing = next(t for t in threats if t.template.id == "spoofed-client")
    assert spoofing.gap and "applied on 6 of 7 operation flows" in spoofing.mitigation
    assert model.unrouted == ["GET /users/_debug", "POST /uploads"]
    assert {t.template.id for t in residual} >= {"forged-webhooks", "ssrf", "internal-interception", "repudiation"}


def test_without_config_mitigations_are_unknown_and_residual() -> None:
    _, threats = threat_model(load_document(SPECS / "shop-clean-3.1.yaml"), now=NOW)
    unknown = [t for t in threats if t.mitigation.startswith("unknown")]
    assert unknown and all(t.residual for t in unknown)


def test_reports_are_readable_and_the_svg_is_well_formed() -> None:
    model, threats = threat_model(load_document(SPECS / "shop-flawed-3.1.yaml"), now=NOW)
    svg = render_svg(model)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and "API clients" in svg and "bastion gateway" in svg
    page = render_html(model, threats, svg)
    assert page.count("<svg") == 1 and "<script" not in page and "Residual risks (ranked)" in page
    markdown = render_markdown(model, threats, "dfd.svg")
    assert "![Data-flow diagram](dfd.svg)" in markdown and "| Spoofing |" in markdown


@pytest.mark.parametrize("name", ["report.html", "report.md"])
def test_cli_writes_html_or_markdown_with_diagram(tmp_path: Path, name: str) -> None:
    app = typer.Typer()
    app.callback()(lambda: None)
    threat_model_cli.register(app)
    shutil.copy(SPECS / "shop-flawed-3.0.yaml", tmp_path / "api.yaml")
    result = CliRunner().invoke(app, ["threat-model", str(tmp_path / "api.yaml"), "-o", str(tmp_path / name)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / name).read_text()
    assert "Threat model: Shop (planted flaws)" in text
    if name.endswith(".md"):
        assert (tmp_path / "report.svg").read_text().startswith("<svg")
