"""The detectors. Each has ``name`` and ``observe(event) -> Alert | None``, and bounded memory."""

from __future__ import annotations

from typing import Protocol

from bastion.anomaly.model import Alert, Event


class Detector(Protocol):
    name: str

    def observe(self, ev: Event) -> Alert | None: ...
