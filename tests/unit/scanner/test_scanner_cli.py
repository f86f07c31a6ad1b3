"""Unit: the ``bastion scan`` command line: the documented check ids are the probes', and bad options
exit with 2 before any request is sent."""

from __future__ import annotations

import orjson
from typer.testing import CliRunner

from bastion.cli.main import app
from bastion.cli.scan import CHECK_IDS
from bastion.samples.vulnapi import SPEC_PATH
from bastion.scanner.probes import ALL


def test_help_lists_every_check() -> None:
    assert [c.strip() for c in CHECK_IDS.split(",")] == [p.id for p in ALL if p.phase > 0]


def test_unknown_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["scan", "--spec", str(SPEC_PATH), "--target", "http://127.0.0.1:9",
                                      "--format", "pdf"])
    assert result.exit_code == 2


def test_unknown_check_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["scan", "--spec", str(SPEC_PATH), "--target", "http://127.0.0.1:9",
                                      "--checks", "bola,telepathy"])
    assert result.exit_code == 2
    assert "telepathy" in result.output


def test_seed_option_is_recorded_in_the_report() -> None:
    """``--seed`` repeats an earlier scan's values: the report records the seed it used."""
    result = CliRunner().invoke(app, ["scan", "--spec", str(SPEC_PATH), "--target", "http://127.0.0.1:9",
                                      "--checks", "headers", "--format", "json", "--max-requests", "5",
                                      "--seed", "5eed1234", "--fail-on", "critical"])
    report = orjson.loads(result.stdout[result.stdout.index("{"):])
    assert report["stats"]["seed"] == "5eed1234"
