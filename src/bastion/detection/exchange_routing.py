"""A backend-routing value of Microsoft Exchange's front end (ProxyLogon, CVE-2021-26855).

Exchange's client access front end proxies a request to the back-end server named in the ``X-BEResource`` cookie
(``X-AnonResource-Backend`` for the anonymous ones), written ``host/path?a=~<version>`` or ``host/path#~<version>``.
An unauthenticated caller that sets it makes the front end send its own, fully authenticated request to any host
and path it names: ``EXCH01/EWS/Exchange.asmx?a=~1942062522`` reads any mailbox, ``localhost/ecp/…`` reaches the
admin back end. The shape, a bare host, an Exchange virtual directory and the ``~`` version marker, is that routing
format and nothing else; an ordinary URL has a scheme, and a page path no ``~digits`` marker.
"""

from __future__ import annotations

import re

_ROUTE = re.compile(
    r"(?:^|[\s=;])[\w.\[\]:-]{1,255}/(?:ews|ecp|owa|mapi|autodiscover|powershell|rpc|oab|microsoft-server-activesync"
    r"|api)/[^\s]{0,300}?[?#&](?:[a-z]\w{0,20}=)?~\d{1,12}(?![\w.])", re.I)


def trigger() -> bytes:
    """The prefilter pattern: a ``~`` version marker after ``?a=``, ``#`` or ``&``."""
    return rb"[?#&]([a-z]\w{0,20}=)?~\d"


def exchange_route(value: str) -> tuple[int, int] | None:
    """The span of an Exchange backend-routing value, or ``None``."""
    if "~" not in value or "/" not in value:
        return None
    m = _ROUTE.search(value)
    return (m.start(), m.end()) if m is not None else None
