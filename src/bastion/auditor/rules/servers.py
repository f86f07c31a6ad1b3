"""Transport and inventory (API8/API9:2023): HTTPS everywhere, no internal or stale servers, no zombies."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.auditor.rules.vocabulary import segments
from bastion.findings.model import Severity
from bastion.openapi import Where

_NON_PROD = re.compile(
    r"(^|[.\-/])(dev|develop|test|testing|qa|staging|stage|sandbox|beta|alpha|preprod|uat)([.\-/]|$)")
_VERSION = re.compile(r"/v(\d+)(?=/|$)")


def _servers(ctx: AuditContext) -> list[tuple[str, Where]]:
    if ctx.doc is None:
        return []
    out = []
    for index, server in enumerate(ctx.doc.servers):
        if isinstance(server.get("url"), str):
            out.append((server["url"], Where(ctx.doc.root, f"/servers/{index}/url")))
    return out


def is_internal_host(host: str) -> bool:
    host = host.lower().strip("[]")
    if host in {"localhost", ""} or host.endswith((".local", ".internal", ".localhost", ".lan", ".corp", ".intranet")):
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_unspecified


@rule(RuleInfo(
    "transport.http-url", "Plain HTTP server or authorization URL", Severity.HIGH, "API8:2023", 319,
    "Over plain HTTP, tokens, API keys and personal data cross the network in clear text, and anyone on "
    "the path can read or change requests and responses.",
    "Use `https://` for every server URL and every OAuth/OpenID URL; terminate TLS 1.2+ at the gateway."))
def http_url(ctx: AuditContext) -> Iterator[Hit]:
    for url, where in _servers(ctx):
        parts = urlsplit(url)
        if parts.scheme == "http" and not is_internal_host(parts.hostname or ""):
            yield Hit(where, f"Server `{url}` uses plain HTTP.")
    if ctx.doc is None:
        return
    for name, (scheme, where) in ctx.doc.component("securitySchemes").items():
        if not isinstance(scheme, dict):
            continue
        urls = [("openIdConnectUrl", scheme.get("openIdConnectUrl"), where.child("openIdConnectUrl"))]
        flows = scheme.get("flows")
        for flow, spec in flows.items() if isinstance(flows, dict) else []:
            for key in ("authorizationUrl", "tokenUrl", "refreshUrl"):
                if isinstance(spec, dict):
                    urls.append((key, spec.get(key), where.child("flows", flow, key)))
        for key, value, place in urls:
            if isinstance(value, str) and value.startswith("http://"):
                yield Hit(place, f"Security scheme `{name}` has a plain-HTTP {key}.")


@rule(RuleInfo(
    "inventory.internal-server", "Server points at localhost or an internal host", Severity.MEDIUM, "API9:2023", 200,
    "Published server URLs that name localhost, private addresses or internal domains reveal the internal "
    "network, and generated clients and docs send real traffic (and credentials) there.",
    "List only the public, production entry points in `servers`; keep internal URLs in private config."))
def internal_server(ctx: AuditContext) -> Iterator[Hit]:
    for url, where in _servers(ctx):
        host = urlsplit(url).hostname
        if host is not None and is_internal_host(host):
            yield Hit(where, f"Server `{url}` is a local or internal address.")


@rule(RuleInfo(
    "inventory.non-production-server", "Non-production or outdated server in the spec", Severity.LOW,
    "API9:2023", 1059,
    "Staging, test and older API versions listed beside production are usually less protected, have "
    "older bugs and weaker data controls, and are the first thing attackers try.",
    "Remove non-production and retired versions from the published spec, and retire old versions at the "
    "gateway (answer 410) once clients have moved."))
def non_production_server(ctx: AuditContext) -> Iterator[Hit]:
    servers = _servers(ctx)
    versions = [int(m.group(1)) for url, _ in servers if (m := _VERSION.search(url))]
    newest = max(versions, default=None)
    for url, where in servers:
        parts = urlsplit(url)
        version = _VERSION.search(parts.path)
        if _NON_PROD.search(f"{parts.hostname or ''}{parts.path}".lower()):
            yield Hit(where, f"Server `{url}` looks like a non-production environment.")
        elif version and newest is not None and int(version.group(1)) < newest:
            yield Hit(where, f"Server `{url}` is an older API version (v{version.group(1)} < v{newest}).")


@rule(RuleInfo(
    "inventory.deprecated-operation", "Deprecated operation still served", Severity.LOW, "API9:2023", 1059,
    "Deprecated operations stay reachable long after their clients are gone; they get no attention, miss "
    "new security controls, and are a favourite way around newer checks.",
    "Set a sunset date (`Sunset` header, RFC 8594), monitor usage, and remove the operation (or answer "
    "410 at the gateway) when the date passes."))
def deprecated_operation(ctx: AuditContext) -> Iterator[Hit]:
    for op in ctx.operations:
        if op.deprecated:
            yield Hit(op.where.child("deprecated"), f"{op.label} is deprecated but still part of the API.", op)


DEBUG_SEGMENTS = frozenset({
    "debug", "debugging", "phpinfo", "actuator", "heapdump", "threaddump", "jolokia", "trace", "xdebug",
    "createdb", "initdb", "dropdb", "resetdb", "seeddb", "populatedb", "seed", "fixtures", "testdata",
})
"""Path segments (normalised: ``/users/_debug`` → ``debug``) of debugging, diagnostics and database-setup
operations, which have no business in a production API."""
_DEBUG_TEXT = re.compile(r"\b(dummy data|fake data|(populates?|seeds?|wipes?) the (database|db)|"
                         r"(for )?debugging only|debug only|testing only|for testing purposes)\b")
"""The same purpose said in an operation's summary or description."""


@rule(RuleInfo(
    "inventory.debug-operation", "Debugging or database-setup operation in the API", Severity.MEDIUM,
    "API9:2023", 489,
    "Debug, diagnostics and database set-up endpoints (dumping every record, (re)creating or seeding the "
    "database) are written for developers and skip the checks production code has; left in the API they "
    "leak whole tables or let anyone reset the data. Without authentication anyone on the internet can "
    "call them.",
    "Remove the operation from production builds and from the published spec; if it must exist, serve it "
    "only on an internal listener behind admin authentication, never through the public gateway."))
def debug_operation(ctx: AuditContext) -> Iterator[Hit]:
    for op in ctx.operations:
        if op.webhook:
            continue
        words = sorted(set(segments(op.path)) & DEBUG_SEGMENTS)
        said = _DEBUG_TEXT.search(f"{op.spec.get('summary', '')} {op.spec.get('description', '')}".lower())
        if words:
            why = f"path segment `{words[0]}`"
        elif said is not None:
            why = f"its description says \"{said.group(0)}\""
        else:
            continue
        open_ = not op.security or not all(op.security)
        yield Hit(op.where, f"{op.label} is a debugging or set-up operation ({why})"
                  + (", callable without authentication." if open_ else "."), op,
                  severity=Severity.HIGH if open_ else None)
