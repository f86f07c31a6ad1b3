"""API7 SSRF: URL-valued parameters the server fetches, proven by a callback to the scanner's canary.

Each URL-like query parameter or JSON field (by ``format: uri`` or its name) gets a canary URL with a
unique token, first as ``127.0.0.1`` and then in other spellings of an internal address that naive
filters miss (``localhost``, decimal, IPv4-mapped IPv6). A canary hit for the token is the proof.
The canary listens on loopback only, so the check confirms SSRF when the target runs on this host.
"""

from __future__ import annotations

import hashlib
from typing import ClassVar
from urllib.parse import urlsplit

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, poll, send
from bastion.scanner.probes.base import report
from bastion.scanner.probes.points import inject, points
from bastion.scanner.values import is_urlish


def spellings(canary: str, token: str) -> list[str]:
    port = urlsplit(canary).port
    hosts = ("127.0.0.1", "localhost", "2130706433", "[::ffff:127.0.0.1]")
    return [f"http://{host}:{port}/ssrf/{token}" for host in hosts]


class SsrfProbe:
    id: ClassVar[str] = "ssrf"
    phase: ClassVar[int] = 1

    def run(self, ctx: ScanContext) -> Flow:
        if ctx.canary_url is None:
            return
        for point in points(ctx, strings_only=True):
            if point.location not in ("query", "json") or not is_urlish(point.name, {}):
                if not str(point.value).startswith(("http://", "https://")):
                    continue
            token = hashlib.sha256(f"{point.request.operation}|{point.name}".encode()).hexdigest()[:16]
            for url in spellings(ctx.canary_url, token):
                request = inject(point, url)
                response = yield from send(request)
                hits = yield from poll(token, wait=1.0)
                if hits.paths:
                    report(ctx, "ssrf.callback", f"The server fetched the URL given in the {point.label} "
                           f"(the scanner's canary saw {hits.paths[0]!r}).", request, response,
                           notes=f"payload host: {urlsplit(url).hostname}")
                    break
