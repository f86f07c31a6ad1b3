"""Unit: the report renderers. SARIF is validated against the official SARIF 2.1.0 schema (vendored)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from bastion.findings import Evidence, Finding, Location, Report, Severity
from bastion.findings.render import FORMATS, render

SCHEMA = Path(__file__).resolve().parents[2] / "fixtures" / "sarif" / "sarif-2.1.0-rtm.5.json"


def _sarif_validator() -> Any:
    # The schema's two `language` patterns end in a lone `]`, which ECMAScript regexes read as a literal and
    # the Rust regex engine rejects; escaping it keeps the meaning and lets jsonschema-rs compile the file.
    text = SCHEMA.read_text().replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}\\\\]?$")
    return jsonschema_rs.Draft4Validator(json.loads(text))


def _report() -> Report:
    spec = Location(file="/repo/specs/api.yaml", pointer="/paths/~1users~1{id}/get", line=12, column=5,
                    operation="GET /users/{id}")
    return Report(
        tool="bastion-audit",
        target="specs/api.yaml",
        findings=[
            Finding("auth.missing-security", "Operation has no security", Severity.HIGH, "API2:2023", 306,
                    "GET /users/{id} declares no security requirement.", "Anyone can call it.",
                    "Add a security requirement.", spec),
            Finding("data.sensitive-response", "Password <b>returned</b>", Severity.CRITICAL, "API3:2023",
                    200,
                    "Response returns `password` & \x07 control char.", location=spec),
            Finding("docs.missing-description", "No description", Severity.INFO, "", None, "Add one.",
                    hygiene=True, location=Location(file="/elsewhere/other.yaml", pointer="/info", line=2)),
            Finding("scan.bola", "BOLA", Severity.MEDIUM, "API1:2023", 639, "Other user's object returned.",
                    location=Location(method="GET", url="https://staging.example.com/users/2"),
                    evidence=Evidence(request="GET /users/2")),
        ],
    )


def test_sarif_validates_against_the_official_schema() -> None:
    doc = json.loads(render(_report(), "sarif", base_dir="/repo"))
    errors = [e.message for e in _sarif_validator().iter_errors(doc)]
    assert errors == []


def test_sarif_validator_rejects_a_broken_log() -> None:
    doc = json.loads(render(_report(), "sarif", base_dir="/repo"))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    assert not _sarif_validator().is_valid(doc)


def test_sarif_meets_github_code_scanning_requirements() -> None:
    doc = json.loads(render(_report(), "sarif", base_dir="/repo"))
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "bastion-audit"
    assert [r["id"] for r in rules] == ["data.sensitive-response", "auth.missing-security", "scan.bola",
                                         "docs.missing-description"]
    for rule in rules:
        assert 0.0 <= float(rule["properties"]["security-severity"]) <= 10.0
    high = next(r for r in rules if r["id"] == "auth.missing-security")
    tags = high["properties"]["tags"]
    assert "external/cwe/cwe-306" in tags and "OWASP-API2:2023" in tags
    first = run["results"][0]
    phys = first["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"] == "specs/api.yaml"  # repository-relative
    assert phys["region"] == {"startLine": 12, "startColumn": 5}
    assert first["ruleIndex"] == 0 and len(first["partialFingerprints"]["bastionFingerprint/v1"]) == 32
    assert run["results"][2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("https://")


def test_junit_is_well_formed_with_one_failure_per_finding() -> None:
    root = ET.fromstring(render(_report(), "junit", base_dir="/repo").encode())
    cases = root.findall(".//testcase")
    assert root.get("failures") == "4" and len(cases) == 4
    assert cases[0].get("classname") == "data.sensitive-response"
    failure = cases[0].find("failure")
    assert failure is not None and "\x07" not in (failure.get("message") or "")
    assert "Risk: Anyone can call it." in (cases[1].findtext("failure") or "")


def test_junit_without_findings_has_one_passing_case() -> None:
    root = ET.fromstring(render(Report("bastion-audit", "x"), "junit").encode())
    assert root.get("failures") == "0" and [c.get("name") for c in root.iter("testcase")] == ["no findings"]


def test_json_has_fingerprints_and_summary() -> None:
    doc = json.loads(render(_report(), "json", base_dir="/repo"))
    assert doc["summary"]["by_severity"] == {"critical": 1, "high": 1, "medium": 1, "low": 0, "info": 1}
    assert doc["summary"]["by_category"] == {"API1:2023": 1, "API2:2023": 1, "API3:2023": 1, "hygiene": 1}
    top = doc["findings"][0]
    assert top["rule_id"] == "data.sensitive-response" and top["location"]["file"] == "specs/api.yaml"
    assert top["fingerprint"] == _report().findings[1].fingerprint


def test_html_is_self_contained_and_escaped() -> None:
    page = render(_report(), "html")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "src=" not in page
    assert "Password &lt;b&gt;returned&lt;/b&gt;" in page and "<b>returned</b>" not in page
    assert "Broken Object Level Authorization" in page


def test_text_lists_worst_first_with_positions() -> None:
    out = render(_report(), "text", base_dir="/repo")
    assert out.index("[CRITICAL] data.sensitive-response") < out.index("[HIGH] auth.missing-security")
    assert "at specs/api.yaml:12:5" in out and out.rstrip().endswith("1 critical, 1 high, 1 medium, 1 info")


def test_every_format_renders_an_empty_report() -> None:
    for fmt in FORMATS:
        assert render(Report("bastion-audit", "x"), fmt)
    with pytest.raises(ValueError, match="unknown format"):
        render(Report("bastion-audit", "x"), "pdf")


def test_sarif_of_a_real_audit_validates_with_every_rule() -> None:
    from datetime import UTC, datetime

    from bastion.auditor import audit
    from bastion.openapi import load_document

    specs = SCHEMA.parents[1] / "specs" / "audit"
    report = audit(load_document(specs / "shop-flawed-3.1.yaml"), now=datetime(2026, 1, 1, tzinfo=UTC),
                   include_hygiene=True, base_dir=str(specs.parents[2]))
    doc = json.loads(render(report, "sarif", base_dir=str(specs.parents[2])))
    assert [e.message for e in _sarif_validator().iter_errors(doc)] == []
    run = doc["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"fixtures/specs/audit/shop-flawed-3.1.yaml"}
    # what GitHub code scanning relies on: unique rule ids, consistent indexes, text, fingerprints
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids)) == len({f.rule_id for f in report.findings})
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"] and result["message"]["text"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["bastionFingerprint/v1"]
    fingerprints = [r["partialFingerprints"]["bastionFingerprint/v1"] for r in run["results"]]
    assert len(fingerprints) == len(set(fingerprints))
