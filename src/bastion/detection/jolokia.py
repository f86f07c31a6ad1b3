"""A URL written in Jolokia's path escape: ``http:!/!/host:port!/logback.xml``.

Jolokia (the JMX-over-HTTP bridge Spring Boot exposes as ``/jolokia`` or ``/actuator/jolokia``) takes an operation's
arguments as path segments and writes a ``/`` inside an argument as ``!/``. An ``exec`` request that hands a URL to
an MBean operation (logback's ``JMXConfigurator/reloadByURL``, ``getLoggerLevel`` and friends, Tomcat's
``createJNDIRealm``) makes the server fetch that URL and parse what comes back as configuration: an external entity
or a JNDI lookup in it runs code (the Spring Boot actuator exploits, fresh41). A scheme followed by ``:!/!/`` is that
escape and nothing else: no address, path or prose writes a URL that way, so its presence is the signal, whatever
host it names.
"""

from __future__ import annotations

import re

_ESCAPED_URL = re.compile(r"(?<![\w.+-])(?:https?|ftp|file|jar|ldaps?|rmi|dns|iiop|corba|jndi):!/!/", re.I)
TRIGGER = rb":!/!/"
"""The prefilter trigger (``prefilter.TRIGGERS["ssrf"]``): only a value holding the escape pays for the search."""


def escaped_url(value: str) -> tuple[int, int] | None:
    """The span of a Jolokia-escaped URL in ``value``, else ``None``."""
    if ":!/!/" not in value:
        return None
    m = _ESCAPED_URL.search(value)
    return (m.start(), m.end()) if m is not None else None
