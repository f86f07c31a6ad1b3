"""Build the ports and shared resources the policies and the engine use, from the loaded config.

This is the wiring point for capabilities outside the core: each contributes services (a state
backend, key sources, stores, observers, internal apps) through a small factory called here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bastion.config.load import LoadedConfig
from bastion.state import build_state

log = logging.getLogger("bastion.services")


@dataclass
class Services:
    mapping: dict[str, Any] = field(default_factory=dict)
    starters: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    stoppers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def start(self) -> None:
        for start in self.starters:
            await start()

    async def stop(self, delay: float = 0.0) -> None:
        if delay:
            await asyncio.sleep(delay)
        for stop in reversed(self.stoppers):
            try:
                await stop()
            except Exception:
                log.exception("service failed to stop cleanly")

    def discard(self) -> None:
        """Drop services built for a configuration that failed to compile."""


def build_services(loaded: LoadedConfig) -> Services:
    cfg = loaded.config
    services = Services()
    m = services.mapping
    m["state"] = build_state(cfg.state)
    m["apps"] = {}
    m["observers"] = []
    return services
