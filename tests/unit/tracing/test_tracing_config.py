"""Unit: the ``tracing:`` section — off unless configured, credentials only as references, a warning for
spans sent in clear off loopback, export metrics on ``/metrics``."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from bastion.errors import ConfigError, SecurityWarning
from bastion.observability.factory import Monitoring, build_monitoring
from bastion.tracing.config import TracingSection, build_tracing


def _monitoring(tmp_path: Path, tracing: dict[str, Any] | None) -> Monitoring:
    settings = {"audit": {"enabled": False}, "access_log": {"enabled": False}, "anomaly": {"enabled": False}}
    if tracing is not None:
        settings["tracing"] = tracing
    return build_monitoring(settings=settings, admin_token="t" * 32, base_dir=tmp_path)


def test_tracing_is_off_without_the_section_or_when_disabled(tmp_path: Path) -> None:
    assert _monitoring(tmp_path, None).tracer is None
    off = _monitoring(tmp_path, {"otlp_endpoint": "http://127.0.0.1:4318/v1/traces", "enabled": False})
    assert off.tracer is None and off.span_exporter is None


def test_export_counters_are_exposed(tmp_path: Path) -> None:
    mon = _monitoring(tmp_path, {"otlp_endpoint": "http://127.0.0.1:4318/v1/traces"})
    assert mon.tracer is not None and mon.span_exporter is not None
    text = mon.metrics.exposition().decode()
    for name in ("bastion_tracing_spans_dropped_total 0.0", "bastion_tracing_spans_exported_total 0.0",
                 "bastion_tracing_spans_failed_total 0.0", "bastion_tracing_queue_depth 0.0"):
        assert name in text


def test_rejects_inline_collector_credentials(tmp_path: Path) -> None:
    cfg = TracingSection(otlp_endpoint="https://collector:4318/v1/traces", headers={"Authorization": "Bearer abc"})
    with pytest.raises(ConfigError, match="never inline") as err:
        build_tracing(cfg, tmp_path)
    assert "abc" not in str(err.value)


def test_credentials_come_from_references(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTLP_AUTH", "Bearer from-env")
    (tmp_path / "key").write_text("k-123\n")
    cfg = TracingSection(otlp_endpoint="https://collector:4318/v1/traces", headers={
        "Authorization": "${env:OTLP_AUTH}", "X-Api-Key": "${file:key}", "X-Scope-OrgID": "tenant-1"})
    _, exporter = build_tracing(cfg, tmp_path)
    headers = exporter._poster.headers  # type: ignore[attr-defined]
    assert headers["authorization"] == "Bearer from-env" and headers["x-api-key"] == "k-123"
    assert headers["x-scope-orgid"] == "tenant-1"
    assert "from-env" not in repr(exporter)


@pytest.mark.parametrize("bad", [{"x-a": "v\r\nInjected: 1"}, {"bad name": "v"}])
def test_rejects_header_injection(bad: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="invalid header"):
        TracingSection(otlp_endpoint="https://collector:4318/v1/traces", headers=bad)


def test_plain_http_off_loopback_is_a_security_warning(tmp_path: Path) -> None:
    with pytest.warns(SecurityWarning, match="plain HTTP"):
        build_tracing(TracingSection(otlp_endpoint="http://collector.example:4318/v1/traces"), tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build_tracing(TracingSection(otlp_endpoint="http://127.0.0.1:4318/v1/traces"), tmp_path)
        build_tracing(TracingSection(otlp_endpoint="https://collector.example:4318/v1/traces"), tmp_path)
