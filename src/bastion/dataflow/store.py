"""SQLite persistence of the data-flow counters: additive upserts, so several gateway processes
sharing one file only ever add to each other's counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS data_flows (
    route TEXT NOT NULL,
    operation TEXT NOT NULL,
    recipient TEXT NOT NULL,
    direction TEXT NOT NULL,
    category TEXT NOT NULL,
    messages INTEGER NOT NULL,
    items INTEGER NOT NULL,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL,
    PRIMARY KEY (route, operation, recipient, direction, category)
)
"""

_UPSERT = """
INSERT INTO data_flows (route, operation, recipient, direction, category, messages, items, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (route, operation, recipient, direction, category) DO UPDATE SET
    messages = messages + excluded.messages,
    items = items + excluded.items,
    first_seen = MIN(first_seen, excluded.first_seen),
    last_seen = MAX(last_seen, excluded.last_seen)
"""


@dataclass(frozen=True, slots=True)
class FlowRow:
    route: str
    operation: str
    recipient: str
    direction: str
    """``response`` (sent to an API client) or ``request`` (sent to an upstream third party)."""
    category: str
    """A ``redaction.Category`` value, or ``*`` for every message on this flow."""
    messages: int
    """Messages that carried at least one value of the category."""
    items: int
    """Values of the category, summed over those messages."""
    first_seen: float
    last_seen: float


class SqliteFlowStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=5.0)
        conn.execute(_SCHEMA)
        return conn

    def add(self, rows: Iterable[FlowRow]) -> None:
        batch = [(r.route, r.operation, r.recipient, r.direction, r.category, r.messages, r.items,
                  r.first_seen, r.last_seen) for r in rows]
        if not batch:
            return
        conn = self._connect()
        try:
            with conn:
                conn.executemany(_UPSERT, batch)
        finally:
            conn.close()

    def rows(self) -> list[FlowRow]:
        if not self.path.exists():
            return []
        conn = self._connect()
        try:
            cur = conn.execute(
                "SELECT route, operation, recipient, direction, category, messages, items, first_seen, last_seen "
                "FROM data_flows ORDER BY recipient, direction, route, operation, category"
            )
            return [FlowRow(*r) for r in cur.fetchall()]
        finally:
            conn.close()


def sqlite_path(url: str, base_dir: Path) -> Path:
    """``sqlite:///abs/path.db``, ``sqlite://rel/path.db`` or a bare path, relative to ``base_dir``."""
    raw = url.removeprefix("sqlite://") if url.startswith("sqlite://") else url
    path = Path(raw)
    return path if path.is_absolute() else base_dir / path
