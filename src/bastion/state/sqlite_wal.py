"""Open a SQLite database in WAL mode when other processes may be opening it at the same moment.

``PRAGMA journal_mode=WAL`` on a database another connection is creating or converting answers
"database is locked" at once: sqlite does not run the busy handler for it, so the connection's
``timeout`` does not help (two gateway workers and a ``bastion clients create`` starting together on a
fresh file hit it about one start in ten). The switch is retried with a short backoff until ``timeout``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

_BUSY = ("locked", "busy")


def connect_wal(path: str | Path, *, timeout: float = 5.0, check_same_thread: bool = True,
                sleep: Callable[[float], None] = time.sleep,
                monotonic: Callable[[], float] = time.monotonic) -> sqlite3.Connection:
    """An autocommit connection whose database is in WAL mode; raises sqlite3.Error past ``timeout``."""
    db = sqlite3.connect(str(path), isolation_level=None, timeout=timeout, check_same_thread=check_same_thread)
    deadline = monotonic() + timeout
    delay = 0.005
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return db
        except sqlite3.OperationalError as exc:
            if not any(word in str(exc) for word in _BUSY) or monotonic() + delay > deadline:
                db.close()
                raise
        sleep(delay)
        delay = min(delay * 2, 0.1)
