"""Egress: services call partners through bastion, which holds, injects and rotates partner credentials.

``config`` (the ``egress:`` section) → ``build`` (partners at compile time) → ``service`` (one call:
header and field allow-lists, credential injection from ``injection``/``oauth``/``signing``, 401 retry,
``validation`` of the answer, ``audit`` record) over ``client`` (HTTP/1.1 with limits, retries and
redirects) on ``partner_pool`` (the gateway's upstream pool, one per origin) and ``connector``
(allow-listed hosts, bastion-owned DNS, address checks, pinned dialling, mandatory TLS, SPKI pins).
``gateway`` mounts it behind the route chain; ``wiring`` plugs it into the server.
"""
