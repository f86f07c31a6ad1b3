"""Unit: the periodic rotation check (audit events at start and hourly, a snapshot the gauges read at scrape
time) and the Prometheus collector, over in-memory SQLite with a FakeClock."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from bastion.secrets import metrics as rotation_metrics
from bastion.secrets.backend import SqlSecretBackend
from bastion.secrets.crypto import MasterKey
from bastion.secrets.model import RotationPolicy
from bastion.secrets.monitor import RotationMonitor
from bastion.secrets.sql import SqliteDriver
from bastion.secrets.store import SecretStore
from bastion.testing.clock import FakeClock

pytestmark = pytest.mark.anyio
DAY = 86400.0


class Trail:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def emit(self, kind: str, data: dict[str, Any]) -> None:
        self.events.append((kind, data))


@pytest.fixture
async def store() -> AsyncIterator[SecretStore]:
    backend = SqlSecretBackend(SqliteDriver(":memory:"))
    await backend.setup()
    st = SecretStore(backend, MasterKey(os.urandom(32)), clock=FakeClock(),
                     default_policy=RotationPolicy(max_age=30 * DAY, warn_window=7 * DAY))
    await st.set("old", "old-value-marker", actor="t")
    st.clock.advance(25 * DAY)  # type: ignore[attr-defined]
    await st.set("new", "new-value-marker", actor="t")
    yield st
    await backend.driver.close()


async def test_events_at_the_first_check_then_once_per_interval(store: SecretStore) -> None:
    clock, trail = store.clock, Trail()
    assert isinstance(clock, FakeClock)
    monitor = RotationMonitor(store, clock, trail, audit_every=3600.0)
    await monitor.check()
    assert [(k, e["secret"], e["state"]) for k, e in trail.events] == [("secret.rotation_due", "old", "due_soon")]
    clock.advance(60)
    await monitor.check()
    assert len(trail.events) == 1  # not again within the hour
    clock.advance(3600)
    await monitor.check()
    assert len(trail.events) == 2
    assert "old-value-marker" not in repr(trail.events)


async def test_gauges_are_assessed_at_scrape_time_from_the_last_snapshot(store: SecretStore) -> None:
    clock = store.clock
    assert isinstance(clock, FakeClock)
    monitor = RotationMonitor(store, clock)
    await monitor.check()
    registry = CollectorRegistry()
    rotation_metrics.attach(registry, monitor.samples)
    assert registry.get_sample_value("bastion_secret_rotation_overdue", {"secret": "old"}) == 0.0
    assert registry.get_sample_value("bastion_secret_rotation_seconds_left", {"secret": "old"}) == 5 * DAY
    clock.advance(6 * DAY)  # no new check: the countdown and the flag still move with the clock
    assert registry.get_sample_value("bastion_secret_rotation_overdue", {"secret": "old"}) == 1.0
    assert registry.get_sample_value("bastion_secret_rotation_seconds_left", {"secret": "old"}) == -DAY
    assert registry.get_sample_value("bastion_secret_age_seconds", {"secret": "new"}) == 6 * DAY
    text = generate_latest(registry).decode()
    assert "value-marker" not in text


async def test_a_failed_check_keeps_the_last_snapshot(store: SecretStore) -> None:
    monitor = RotationMonitor(store, store.clock, Trail())
    await monitor.check()
    before = monitor.samples()
    await store.backend.driver.close()
    await monitor.check()
    assert monitor.failures == 1 and monitor.samples() == before


def test_one_collector_per_registry_follows_the_newest_configuration() -> None:
    registry = CollectorRegistry()

    def first() -> list[tuple[str, dict[str, str], float]]:
        return [("bastion_secret_rotation_overdue", {"secret": "a"}, 1.0)]

    def second() -> list[tuple[str, dict[str, str], float]]:
        return [("bastion_secret_rotation_overdue", {"secret": "b"}, 0.0)]

    rotation_metrics.attach(registry, first)
    rotation_metrics.attach(registry, second)  # a reload: no duplicate-registration error
    rotation_metrics.detach(registry, first)  # the old configuration stops afterwards
    assert registry.get_sample_value("bastion_secret_rotation_overdue", {"secret": "b"}) == 0.0
    assert registry.get_sample_value("bastion_secret_rotation_overdue", {"secret": "a"}) is None
    rotation_metrics.detach(registry, second)
    assert registry.get_sample_value("bastion_secret_rotation_overdue", {"secret": "b"}) is None


def test_a_failing_source_does_not_break_the_scrape(caplog: pytest.LogCaptureFixture) -> None:
    registry = CollectorRegistry()

    def broken() -> list[tuple[str, dict[str, str], float]]:
        raise RuntimeError("store gone")

    rotation_metrics.attach(registry, broken)
    assert b"bastion_secret_rotation_overdue" in generate_latest(registry)
    assert "secret rotation metrics failed" in caplog.text
