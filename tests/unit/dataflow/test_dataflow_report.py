"""Unit: the Article 30 record and `bastion report data-flows` in table, JSON and HTML (real SQLite file)."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from bastion.cli.main import app
from bastion.dataflow import FlowRecorder, SqliteFlowStore
from bastion.dataflow.article30 import build_record, to_html
from bastion.testing.clock import FakeClock


def _seed(path: Path) -> None:
    rec = FlowRecorder(SqliteFlowStore(path), FakeClock())
    rec.record("get-customer", "GET /customers/{id}", "crm", "response", {"email": 1, "card": 1})
    rec.record("get-customer", "GET /customers/{id}", "crm", "response", {"email": 1})
    rec.record("get-customer", "GET /customers/{id}", "<script>x</script>", "response", {"phone": 1})
    rec.record("charge", "POST /charges", "payments", "request", {"card": 1})
    rec.flush()


def test_record_groups_by_recipient(tmp_path: Path) -> None:
    _seed(tmp_path / "f.db")
    records = {r.recipient: r for r in build_record(SqliteFlowStore(tmp_path / "f.db").rows())}
    crm = records["crm"]
    assert crm.messages == 2 and crm.kind == "API client"
    assert {c: (f.messages, f.items) for c, f in crm.categories.items()} == {"email": (2, 2), "card": (1, 1)}
    assert records["payments"].kind.startswith("third-party")


def test_html_escapes_everything(tmp_path: Path) -> None:
    _seed(tmp_path / "f.db")
    page = to_html(build_record(SqliteFlowStore(tmp_path / "f.db").rows()))
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_cli_formats(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    _seed(db)
    runner = CliRunner()
    table = runner.invoke(app, ["report", "data-flows", "--db", str(db)])
    assert table.exit_code == 0, table.output
    assert "crm" in table.output and "contact details (e-mail)" in table.output
    js = runner.invoke(app, ["report", "data-flows", "--db", str(db), "--format", "json"])
    data = orjson.loads(js.output)
    assert {r["recipient"] for r in data["recipients"]} == {"crm", "payments", "<script>x</script>"}
    out = tmp_path / "r.html"
    html = runner.invoke(app, ["report", "data-flows", "--db", str(db), "-f", "html", "-o", str(out)])
    assert html.exit_code == 0 and "<h1>" in out.read_text()


def test_cli_reads_the_store_from_the_config(tmp_path: Path) -> None:
    _seed(tmp_path / "inv" / "f.db")
    cfg = tmp_path / "bastion.yaml"
    cfg.write_text("dataflow:\n  store: sqlite://inv/f.db\n")
    res = CliRunner().invoke(app, ["report", "data-flows", "-c", str(cfg), "-f", "json"])
    assert res.exit_code == 0 and "payments" in res.output


def test_cli_empty_and_bad_format(tmp_path: Path) -> None:
    runner = CliRunner()
    empty = runner.invoke(app, ["report", "data-flows", "--db", str(tmp_path / "none.db")])
    assert empty.exit_code == 0 and "No data flows recorded" in empty.output
    bad = runner.invoke(app, ["report", "data-flows", "--db", str(tmp_path / "none.db"), "-f", "xml"])
    assert bad.exit_code == 2
