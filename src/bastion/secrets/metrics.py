"""The secret-rotation gauges on the gateway's Prometheus registry (the admin listener's ``/metrics``).

A collector read at scrape time, off the request path: per secret name, ``bastion_secret_age_seconds``,
``bastion_secret_rotation_seconds_left`` (negative when overdue) and ``bastion_secret_rotation_overdue``.
Labels are secret names, never values. One collector per registry: a configuration reload points it
at the new ``RotationMonitor`` (``attach``) and the old one lets go (``detach``), so the series are
never registered twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from weakref import WeakKeyDictionary

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bastion.secrets.rotation import METRICS

log = logging.getLogger("bastion.secrets")

Samples = Callable[[], list[tuple[str, dict[str, str], float]]]


class SecretRotationCollector(Collector):
    def __init__(self) -> None:
        self.source: Samples | None = None

    def describe(self) -> Iterator[GaugeMetricFamily]:
        for name, doc in METRICS.items():
            yield GaugeMetricFamily(name, doc, labels=["secret"])

    def collect(self) -> Iterator[GaugeMetricFamily]:
        families = {name: GaugeMetricFamily(name, doc, labels=["secret"]) for name, doc in METRICS.items()}
        source = self.source
        if source is not None:
            try:
                for name, labels, value in source():
                    families[name].add_metric([labels["secret"]], value)
            except Exception:  # a scrape must not fail because of one collector
                log.exception("secret rotation metrics failed")
        yield from families.values()


_ATTACHED: WeakKeyDictionary[CollectorRegistry, SecretRotationCollector] = WeakKeyDictionary()


def attach(registry: CollectorRegistry, source: Samples) -> SecretRotationCollector:
    """Register the collector on ``registry`` (once) and make ``source`` its data."""
    collector = _ATTACHED.get(registry)
    if collector is None:
        collector = _ATTACHED[registry] = SecretRotationCollector()
        registry.register(collector)
    collector.source = source
    return collector


def detach(registry: CollectorRegistry, source: Samples) -> None:
    """Stop reading ``source`` (unless a newer configuration already replaced it)."""
    collector = _ATTACHED.get(registry)
    if collector is not None and collector.source == source:
        collector.source = None
