"""The top-level ``dataflow:`` section and the recorder it builds.

```yaml
dataflow:
  store: sqlite:///var/lib/bastion/dataflow.db   # default: sqlite://.bastion/dataflow.db (next to the config)
  flush_interval: 5                              # seconds between writes
  scans_per_second: 20                           # bodies inspected per flow and second (0: all)
  enabled: true
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bastion.clock import Clock
from bastion.dataflow.recorder import FlowRecorder, FlowStore
from bastion.dataflow.store import SqliteFlowStore, sqlite_path
from bastion.dataflow.writer import ThreadedFlowStore

DEFAULT_STORE = "sqlite://.bastion/dataflow.db"


class DataFlowSection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    enabled: bool = True
    """Count what personal data leaves through the body policies (counts only, never values)."""
    store: str = DEFAULT_STORE
    """Where the counters persist: ``sqlite:///absolute.db`` or ``sqlite://relative/to/config.db``."""
    flush_interval: float = Field(default=5.0, gt=0, le=3600)
    """Seconds between writes of the in-memory counters to the store."""

    scans_per_second: float = Field(default=20.0, ge=0)
    """Bodies inspected per flow (route × operation × recipient) and second; messages beyond it are
    counted and their categories estimated from the samples. ``0`` inspects every body (exact counts,
    ~1-3 ms CPU per 20 KB response)."""

    @field_validator("store")
    @classmethod
    def _sqlite_only(cls, v: str) -> str:
        if not v.startswith("sqlite:") or len(v) <= len("sqlite://"):
            raise ValueError("only sqlite stores are supported: sqlite:///absolute.db or sqlite://relative.db")
        return v

    def path(self, base_dir: Path) -> Path:
        return sqlite_path(self.store, base_dir)


def build_recorder(raw: dict[str, Any] | None, base_dir: Path, clock: Clock,
                   threaded: bool = False) -> FlowRecorder | None:
    """The recorder for ``deps.services["dataflow"]``, or None when the section disables it. ``threaded``
    (the gateway): writes go to a worker thread, off the event loop (``ThreadedFlowStore``)."""
    section = DataFlowSection.model_validate(raw or {})
    if not section.enabled:
        return None
    sqlite = SqliteFlowStore(section.path(base_dir))
    store: FlowStore = ThreadedFlowStore(sqlite) if threaded else sqlite
    return FlowRecorder(store, clock, section.flush_interval, section.scans_per_second)
