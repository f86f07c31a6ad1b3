"""API8 response hygiene, passive: missing security headers, technology banners, verbose errors.

It reads every answer the scan logged. Missing headers and banners are reported once per scan (with
the first operation that showed them); verbose errors once per operation.
"""

from __future__ import annotations

import re
from typing import ClassVar

from bastion.findings.model import Finding
from bastion.scanner.catalogue import finding
from bastion.scanner.context import Exchange, ScanContext
from bastion.scanner.evidence import evidence
from bastion.scanner.messages import Flow, ProbeResponse
from bastion.scanner.payloads import wordlist
from bastion.scanner.probes.base import report

STACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"\n]{1,300}\", line \d|"
                   r"\bat [\w$.]{1,200}\(\w{1,100}\.(java|kt|scala):\d|\.cs:line \d|\.php(\(\d| on line \d)|"
                   r"node_modules/|goroutine \d+ \[running\]|\n {2,8}at [\w.<>$]{1,200} \(")
SCAN_BYTES = 65_536
BANNER = re.compile(r"\d")


def missing_headers(response: ProbeResponse, authenticated: bool, https: bool) -> list[str]:
    out = []
    if (response.header("x-content-type-options") or "").lower() != "nosniff":
        out.append("X-Content-Type-Options: nosniff")
    csp = response.header("content-security-policy") or ""
    if not response.header("x-frame-options") and "frame-ancestors" not in csp:
        out.append("X-Frame-Options (or CSP frame-ancestors)")
    cache = (response.header("cache-control") or "").lower()
    if authenticated and "no-store" not in cache and "private" not in cache:
        out.append("Cache-Control: no-store (on authenticated answers)")
    if https and not response.header("strict-transport-security"):
        out.append("Strict-Transport-Security")
    return out


def banners(response: ProbeResponse) -> list[str]:
    out = [f"{name}: {response.header(name)}" for name in ("x-powered-by", "x-aspnet-version",
                                                            "x-aspnetmvc-version", "x-generator")
           if response.header(name)]
    server = response.header("server")
    if server and BANNER.search(server):
        out.append(f"Server: {server}")
    return out


def verbose(response: ProbeResponse) -> str | None:
    text = response.body[:SCAN_BYTES].decode("utf-8", errors="replace")
    if STACK.search(text):
        return "a stack trace"
    text = text.lower()
    return next((f"a database error ({s!r})" for s in wordlist("sql_errors") if s in text), None)


class HeadersProbe:
    id: ClassVar[str] = "headers"
    phase: ClassVar[int] = 7

    def run(self, ctx: ScanContext) -> Flow:
        https = ctx.target_scheme == "https"
        reported: set[str] = set()
        for exchange in list(ctx.log):
            if exchange.response.status == 0:
                continue
            self._hygiene(ctx, exchange, https, reported)
            what = verbose(exchange.response)
            key = f"verbose|{exchange.request.operation}"
            if what and key not in reported:
                reported.add(key)
                report(ctx, "misconfig.verbose-error", f"{exchange.request.operation or exchange.request.path} "
                       f"answered {exchange.response.status} with {what}.", exchange.request, exchange.response)
        yield from ()

    def _hygiene(self, ctx: ScanContext, exchange: Exchange, https: bool, reported: set[str]) -> None:
        request, response = exchange.request, exchange.response
        if request.purpose != "baseline":
            return
        for header in missing_headers(response, request.identity is not None, https):
            if header not in reported:
                reported.add(header)
                ctx.add(_located(ctx, "misconfig.missing-header", f"Responses lack {header}.", exchange, header))
        for banner in banners(response):
            name = banner.split(":", 1)[0]
            if name not in reported:
                reported.add(name)
                ctx.add(_located(ctx, "misconfig.technology-header", f"Responses disclose {banner}.", exchange, name))


def _located(ctx: ScanContext, rule: str, message: str, exchange: Exchange, what: str) -> Finding:
    return finding(rule, message, operation=f"all responses: {what}",
                   evidence=evidence(ctx.target, exchange.request, exchange.response))
