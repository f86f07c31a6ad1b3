"""Observability: the access log, the tamper-evident audit log, Prometheus metrics, live traffic stats,
and the ``Observer`` the engine calls once per completed exchange (see ``observer.py``)."""
