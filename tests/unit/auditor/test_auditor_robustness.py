"""Unit (property): a malformed spec never crashes a rule. Random values replace random nodes of the
planted-flaw fixture; loading may refuse the document (OpenAPIError), but an audit that starts finishes
with every rule run and no rule error, and the threat model still draws."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.auditor import audit
from bastion.openapi import OpenAPIDocument, OpenAPIError
from bastion.openapi.source import SourceFile
from bastion.threatmodel import render_svg, threat_model

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "audit" /
                       "shop-flawed-3.1.yaml").read_text())
NOW = datetime(2026, 11, 29, tzinfo=UTC)

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x", "http://localhost", "integer",
                                                                    "#/components/schemas/Order"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["type", "properties", "items", "$ref", "schema", "content", "security", "flows",
                         "parameters", "in", "name", "required", "headers", "callbacks", "x"]), inner, max_size=3),
    max_leaves=8,
)


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _nodes(value, (*path, index))
    return out


NODES = [p for p in _nodes(SPEC) if p and p != ("openapi",)]


def _json_text(data: Any) -> str | None:
    """``data`` as JSON text, or ``None`` when an edit put a number as a key into a mapping (``{"servers": {0:
    None}}``, one list index applied to a mapping an earlier edit made): no JSON text says that."""
    try:
        return orjson.dumps(data, default=str).decode()
    except TypeError:
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(NODES), junk), min_size=1, max_size=4))
def test_rules_never_crash_on_malformed_specs(edits: list[tuple[tuple[Any, ...], Any]]) -> None:
    data = copy.deepcopy(SPEC)
    for path, value in edits:
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    text = _json_text(data)
    if text is None:
        return
    try:
        doc = OpenAPIDocument.from_sources("m.json", {"m.json": text})
        report = audit(doc, now=NOW, include_hygiene=True)
    except OpenAPIError:
        return
    assert report.stats["rule_errors"] == []
    model, threats = threat_model(doc, now=NOW)
    assert render_svg(model).startswith("<svg") and threats


CONFIG = yaml.safe_load((SPEC_DIR := Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "audit")
                        .joinpath("bastion-flawed.yaml").read_text())
CONFIG_NODES = [p for p in _nodes(CONFIG) if p]
DOC = OpenAPIDocument.from_sources("spec.yaml", {"spec.yaml": (SPEC_DIR / "shop-clean-3.0.yaml").read_text()})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(CONFIG_NODES), junk), min_size=1, max_size=4))
def test_config_rules_never_crash_on_malformed_configs(edits: list[tuple[tuple[Any, ...], Any]]) -> None:
    data = copy.deepcopy(CONFIG)
    for path, value in edits:
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    text = _json_text(data)
    if text is None:
        return
    config = SourceFile.parse("bastion.json", text)
    report = audit(DOC, now=NOW, config=config)
    assert report.stats["rule_errors"] == []
    model, _threats = threat_model(DOC, now=NOW, config=config)
    assert render_svg(model).startswith("<svg")
