"""The ``tracing:`` configuration section (registered in ``config/sections.py``) and what it builds.

Example::

    tracing:
      otlp_endpoint: https://collector.example.com:4318/v1/traces
      service_name: orders-gateway
      sample_ratio: 0.1                       # new traces; a caller's sampled flag is followed
      headers: {authorization: "${env:OTLP_AUTH}"}
      timeout: 10s

Without the section nothing is traced and the request path creates no span object.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bastion.config.units import Duration
from bastion.errors import ConfigError, SecretError, SecurityWarning
from bastion.tracing.exporter import OtlpExporter
from bastion.tracing.spans import Tracer

_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_SENSITIVE = re.compile(r"authorization|token|key|secret|password|cookie", re.IGNORECASE)


class TracingSection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    enabled: bool = True
    otlp_endpoint: str = Field(pattern=r"^https?://[^\s]+$")
    """OTLP/HTTP traces URL, e.g. ``https://collector:4318/v1/traces``. Spans hold client addresses: use
    ``https`` unless the collector is on loopback (plain HTTP elsewhere is a ``SecurityWarning``)."""
    service_name: str = Field(default="bastion", min_length=1, max_length=255)
    sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)
    """Share of new traces recorded. A request carrying a valid ``traceparent`` follows its sampled flag."""
    headers: dict[str, str] = {}
    """Extra request headers for the collector. Values of credential-like headers (authorization, *token*,
    *key*, *secret*…) must be references (``${env:…}``, ``${file:…}``), never inline."""
    resource: dict[str, str] = {}
    """Extra resource attributes, e.g. ``{deployment.environment.name: prod}``."""
    timeout: Duration = 10.0
    """Per export request; also the most ``stop()`` waits for the last spans."""
    max_queue: int = Field(default=8192, ge=1)
    """Spans waiting for export. Beyond it new spans are dropped and counted (``bastion_tracing_spans_dropped``)."""
    batch_size: int = Field(default=512, ge=1, le=100_000)
    flush_interval: Duration = 1.0

    @field_validator("headers")
    @classmethod
    def _headers(cls, value: dict[str, str]) -> dict[str, str]:
        for name, v in value.items():
            if not _TOKEN.match(name) or any(c in v for c in "\r\n\0"):
                raise ValueError(f"invalid header {name!r}")
        return value


def _header_value(name: str, value: str, base_dir: Path) -> str:
    from bastion.secrets.references import is_reference, resolve_reference

    if not is_reference(value):
        if _SENSITIVE.search(name):
            raise ConfigError(f"tracing.headers.{name}", "credentials must be a reference such as "
                                                        "${env:OTLP_AUTH} or ${file:PATH}, never inline")
        return value
    try:
        resolved = resolve_reference(value, base_dir=base_dir)
    except SecretError as exc:
        raise ConfigError(f"tracing.headers.{name}", str(exc)) from None
    if any(c in resolved for c in "\r\n\0"):
        raise ConfigError(f"tracing.headers.{name}", "the referenced value is not a valid header value")
    return resolved


def build_tracing(cfg: TracingSection, base_dir: Path) -> tuple[Tracer, OtlpExporter]:
    from urllib.parse import urlsplit

    from bastion import __version__
    from bastion.admin.bind import is_loopback_host

    url = urlsplit(cfg.otlp_endpoint)
    if url.scheme != "https" and not is_loopback_host(url.hostname or ""):
        warnings.warn(f"tracing.otlp_endpoint: {url.hostname} gets spans (client addresses) over plain HTTP",
                      SecurityWarning, stacklevel=3)
    headers = {name.lower(): _header_value(name, v, base_dir) for name, v in cfg.headers.items()}
    resource = (("service.name", cfg.service_name), ("telemetry.sdk.name", "bastion"),
                ("telemetry.sdk.language", "python"), ("telemetry.sdk.version", __version__),
                *cfg.resource.items())
    exporter = OtlpExporter(cfg.otlp_endpoint, headers=headers, resource=resource, timeout=cfg.timeout,
                            max_queue=cfg.max_queue, batch_size=cfg.batch_size, interval=cfg.flush_interval)
    return Tracer(exporter.submit, cfg.sample_ratio), exporter
