"""The ``audit:`` and ``access_log:`` configuration sections (registered in ``config/sections.py``).

Example::

    audit:
      sink: sqlite:///var/lib/bastion/audit.db      # or postgresql://user@host/db
      key: ${file:/etc/bastion/audit-ed25519.pem}   # omitted: generated into state_dir
      batch_size: 256
      flush_interval: 200ms
    access_log: {output: stdout}                    # or {output: /var/log/bastion/access.log, max_bytes: 100MiB}
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bastion.config.units import Duration, Size

_TABLE = r"^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$"


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class AuditSection(_Section):
    enabled: bool = True
    sink: str = "sqlite:///bastion-audit.db"
    """``sqlite:///PATH`` (default, one instance; relative paths resolve against the config file) or
    ``postgresql://user@host:port/db`` (several instances share one database, one chain each)."""
    table: str = Field(default="bastion_audit", pattern=_TABLE)
    """Table name (``schema.table`` allowed for PostgreSQL)."""
    chain_id: str | None = None
    """Name of this instance's chain. Default: the host name. Instances sharing a database need distinct ids."""
    key: str | None = None
    """Ed25519 private key (PEM) used to sign checkpoints, as a file path or a ``${file:…}``/``${env:…}``
    reference. Omitted: a key is generated into ``state_dir`` on first start (keep that file private)."""
    state_dir: str = ".bastion"
    """Where a generated signing key is kept (created with mode 0700)."""
    batch_size: int = Field(default=256, ge=1, le=100_000)
    """Records per write transaction. After ``kill -9`` at most the records accepted since the last
    committed batch are missing (bounded by ``max_pending``), and verification still succeeds."""
    flush_interval: Duration = 0.2
    """Longest time an accepted record waits before it is written."""
    max_pending: int = Field(default=10_000, ge=1)
    """Queue bound. Beyond it new events are dropped and counted (``bastion_audit_dropped_total``), and a
    ``audit.dropped`` record notes how many, so the loss itself is on the chain."""


class AccessLogSection(_Section):
    enabled: bool = True
    output: str = "stdout"
    """``stdout`` or a file path (rotated at ``max_bytes``, keeping ``backups`` old files)."""
    max_bytes: Size = 100 * 1024 * 1024
    backups: int = Field(default=5, ge=0, le=1000)
    max_pending: int = Field(default=50_000, ge=1)
    """Lines queued for the writer thread; beyond it lines are dropped and counted, never blocking requests."""
    client_ip: str = Field(default="full", pattern="^(full|truncated|hashed)$")
    """``full``, ``truncated`` (IPv4 /24, IPv6 /48: less personal data) or ``hashed`` (keyed hash)."""


class MetricsSection(_Section):
    enabled: bool = True
    """Prometheus counters and the dashboard's live statistics. Off: the observer skips them (the admin
    API still answers, with nothing to show)."""
