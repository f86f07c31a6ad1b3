"""A whole value that is only an authority with empty userinfo naming an internal host: ``@localhost``,
``:@localhost:80``, ``:@192.168.211.211:80``.

Apache's ``mod_proxy`` with a ``RewriteRule`` or ``ProxyPass`` that appends the request target to a backend URL
(CVE-2011-3368, CVE-2011-4317) turns ``GET @10.0.0.1/x`` into ``http://backend@10.0.0.1/x``: the backend's name
becomes user information and the proxy fetches the internal host. Nmap's ``http-vuln-cve2011-3368`` sends exactly
these targets (fresh47); a value appended to a URL by an application does the same. A mention (``@alice``) names no
address, and an e-mail address has a local part before ``@``: only ``@`` or ``:@`` opening the value, then a host that
``ssrf.internal_address`` calls internal, an optional port and an optional path, counts.

One bounded match on the whole value: linear.
"""

from __future__ import annotations

import re

from bastion.detection.ssrf import internal_address

_TARGET = re.compile(r"\s*:?@(\[[0-9A-Fa-f:.%]{1,60}\]|[^\s/:@?#\[\]]{1,253})(?::\d{1,5})?(?:[/?#]\S{0,2000})?\s*")


def trigger() -> bytes:
    """The prefilter pattern: ``@`` or ``:@`` opening a value before a host that may be internal."""
    return rb"(^|\x00)\s*:?@(localhost|\d|\[|metadata|[\w-]+\.(internal|local)(\x00|$|:|/))"


def userinfo_target(value: str) -> tuple[int, int] | None:
    """The span of the whole value when it is ``[:]@internal-host[:port][/path]``, or ``None``."""
    if len(value) > 2300 or "@" not in value[:4]:
        return None
    m = _TARGET.fullmatch(value)
    return (0, len(value)) if m is not None and internal_address(m.group(1)) else None
