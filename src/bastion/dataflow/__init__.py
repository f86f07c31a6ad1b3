"""Data-flow inventory: what personal data left through the gateway, to whom, through which operation.

Counts only, never values. The body policies (``minimize``, ``request_minimize``) call
``FlowRecorder.record`` from ``on_complete``; the recorder aggregates in memory and flushes to a
``SqliteFlowStore`` every few seconds; ``bastion report data-flows`` renders a GDPR Article 30-style
record of processing from the store (``article30.py``).

Gateway wiring::

    recorder = build_recorder(raw_config.get("dataflow"), base_dir, clock)   # or None when disabled
    services["dataflow"] = recorder          # before compiling the routes
    ...
    recorder.flush()                         # at shutdown
"""

from bastion.dataflow.config import DataFlowSection, build_recorder
from bastion.dataflow.recorder import FlowKey, FlowRecorder
from bastion.dataflow.store import FlowRow, SqliteFlowStore

__all__ = ["DataFlowSection", "FlowKey", "FlowRecorder", "FlowRow", "SqliteFlowStore", "build_recorder"]
