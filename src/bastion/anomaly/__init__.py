"""Behavioural anomaly detection: streaming detectors with bounded memory, alerts, automatic blocking.

Sans-I/O apart from ``blocklist.py`` (Redis) and ``webhook.py`` (HTTP): detectors take an ``Event``
(one exchange, reduced) whose time comes from the injected clock, and return ``Alert``s.
"""
