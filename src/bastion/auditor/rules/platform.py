"""The deployment itself (API2/API8/API10:2023): upstream transport, TLS settings, admin exposure,
secret rotation age and certificate expiry. Needs ``--config``."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.auditor.rules.servers import is_internal_host
from bastion.findings.model import Severity
from bastion.openapi import Where

WEAK_TLS_VERSIONS = frozenset({"1.0", "1.1", "tlsv1", "tlsv1.0", "tlsv1.1", "tls1.0", "tls1.1", "ssl3", "sslv3"})
WEAK_CIPHERS = ("RC4", "3DES", "DES-CBC", "NULL", "EXPORT", "MD5", "ANON", "ADH")
DATE_KEYS = ("rotated_at", "rotated", "last_rotated", "created_at", "created", "issued_at", "not_before")


def _where(ctx: AuditContext, pointer: str) -> Where:
    assert ctx.config is not None
    return Where(ctx.config.name, pointer)


def _info(id_: str, title: str, severity: Severity, owasp: str, cwe: int, risk: str, fix: str) -> RuleInfo:
    return RuleInfo(id_, title, severity, owasp, cwe, risk, fix, needs_config=True)


@rule(_info(
    "config.upstream-insecure", "Upstream over plain HTTP or without certificate verification", Severity.HIGH,
    "API10:2023", 295,
    "Traffic from the gateway to the upstream carries the client's data and often forwarded identity. Over "
    "plain HTTP, or with certificate verification off, anyone on that network path can read and change "
    "it, and the upstream's answers cannot be trusted.",
    "Use `https://` upstream URLs with verification on (`tls: {ca: <internal CA>}` for private PKI); "
    "plain HTTP only to loopback."))
def upstream_insecure(ctx: AuditContext) -> Iterator[Hit]:
    upstreams = ctx.settings.get("upstreams")
    if not isinstance(upstreams, dict):
        return
    for name, spec in upstreams.items():
        if not isinstance(spec, dict):
            continue
        parts = urlsplit(str(spec.get("url", "")))
        host = parts.hostname or ""
        if parts.scheme == "http" and not _loopback(host):
            yield Hit(_where(ctx, f"/upstreams/{name}/url"), f"Upstream `{name}` uses plain HTTP to `{host}`.")
        tls: dict[str, Any] = spec["tls"] if isinstance(spec.get("tls"), dict) else {}
        if tls.get("verify") is False or tls.get("insecure") is True or tls.get("insecure_skip_verify") is True:
            yield Hit(_where(ctx, f"/upstreams/{name}/tls"), f"Upstream `{name}` turns certificate verification off.")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


@rule(_info(
    "config.weak-tls", "Weak TLS or exposed plain-HTTP listener", Severity.HIGH, "API8:2023", 326,
    "TLS 1.0/1.1 and legacy ciphers are broken or deprecated (RFC 8996); a plain-HTTP listener on a public "
    "interface carries tokens in clear text; an admin listener off loopback exposes the control plane.",
    "Set `min_version: \"1.2\"` (or 1.3), keep the default cipher suites, bind plain-HTTP and admin "
    "listeners to 127.0.0.1 only."))
def weak_tls(ctx: AuditContext) -> Iterator[Hit]:
    listeners = ctx.settings.get("listeners")
    for index, item in enumerate(listeners if isinstance(listeners, list) else []):
        if not isinstance(item, dict):
            continue
        host = str(item.get("address", "")).rsplit(":", 1)[0]
        tls = item.get("tls") if isinstance(item.get("tls"), dict) else None
        here, address = f"/listeners/{index}", item.get("address")
        if tls is None and not _loopback(host):
            yield Hit(_where(ctx, here), f"Listener `{address}` serves plain HTTP on a non-loopback address.")
        if tls is not None:
            version = str(tls.get("min_version", "1.2")).lower()
            if version in WEAK_TLS_VERSIONS:
                yield Hit(_where(ctx, f"{here}/tls/min_version"), f"Listener `{address}` accepts TLS {version}.")
            ciphers = str(tls.get("ciphers", "")).upper()
            weak = [c for c in WEAK_CIPHERS if c in ciphers and f"!{c}" not in ciphers]
            if weak:
                yield Hit(_where(ctx, f"{here}/tls/ciphers"), f"Listener `{address}` enables {', '.join(weak)}.")
    admin = ctx.settings.get("admin")
    if isinstance(admin, dict):
        host = str(admin.get("address", "127.0.0.1")).rsplit(":", 1)[0]
        if (not _loopback(host) and not is_internal_host(host)) or host in {"0.0.0.0", "::", "[::]"}:
            yield Hit(_where(ctx, "/admin/address"), f"The admin API listens on `{admin.get('address')}`.",
                      severity=Severity.MEDIUM)


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return _as_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def _dated(node: Any, pointer: str) -> Iterator[tuple[str, datetime, dict[str, Any]]]:
    if isinstance(node, dict):
        for key in DATE_KEYS:
            when = _as_datetime(node.get(key))
            if when is not None:
                yield f"{pointer}/{key}", when, node
                break
        for key, value in node.items():
            yield from _dated(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _dated(value, f"{pointer}/{index}")


@rule(_info(
    "config.stale-secret", "Signing key or client secret past its rotation age", Severity.MEDIUM, "API2:2023", 324,
    "Long-lived keys and secrets accumulate exposure: every backup, log and former employee that saw them "
    "can still use them. Rotation bounds the damage of a leak nobody noticed.",
    "Rotate with overlap (`bastion keys rotate`, `bastion clients rotate-secret`) and keep the maximum age "
    "at 90 days or less."))
def stale_secret(ctx: AuditContext) -> Iterator[Hit]:
    for section in ("oauth", "issuers", "secrets", "keys", "clients", "api_keys"):
        for pointer, when, node in _dated(ctx.settings.get(section), f"/{section}"):
            limit = node.get("max_age_days", ctx.max_secret_age_days)
            age = (ctx.now - when).days
            if isinstance(limit, int) and age > limit:
                label = node.get("kid") or node.get("client_id") or node.get("id") or node.get("name") or "entry"
                yield Hit(_where(ctx, pointer), f"`{label}` in `{section}` is {age} days old (limit {limit}).")


CERT_KEYS = ("cert", "certificate", "client_cert", "ca", "client_ca")


def certificate_paths(settings: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(pointer, path)`` of every certificate file the config names (listeners, upstreams, admin)."""
    for pointer, node in _tls_blocks(settings):
        for key in CERT_KEYS:
            if isinstance(node.get(key), str):
                yield f"{pointer}/{key}", node[key]


def _tls_blocks(settings: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    listeners = settings.get("listeners")
    for index, item in enumerate(listeners if isinstance(listeners, list) else []):
        if isinstance(item, dict) and isinstance(item.get("tls"), dict):
            yield f"/listeners/{index}/tls", item["tls"]
    upstreams = settings.get("upstreams")
    for name, item in (upstreams if isinstance(upstreams, dict) else {}).items():
        if isinstance(item, dict) and isinstance(item.get("tls"), dict):
            yield f"/upstreams/{name}/tls", item["tls"]


@rule(_info(
    "config.certificate-expiry", "Certificate expired or expiring within 30 days", Severity.HIGH, "API8:2023", 298,
    "An expired certificate breaks every client at once, and the usual emergency fix (turning verification "
    "off) is worse than the outage.",
    "Renew the certificate now and automate renewal (ACME) with alerts 30 days before expiry."))
def certificate_expiry(ctx: AuditContext) -> Iterator[Hit]:
    for pointer, path in certificate_paths(ctx.settings):
        info = ctx.certificates.get(path)
        if info is None or info.not_after is None:
            continue
        days = (info.not_after - ctx.now).days
        if days < 0:
            message = f"Certificate `{path}` expired {-days} days ago."
            yield Hit(_where(ctx, pointer), message, severity=Severity.CRITICAL)
        elif days <= 30:
            severity = Severity.HIGH if days <= 7 else Severity.MEDIUM
            yield Hit(_where(ctx, pointer), f"Certificate `{path}` expires in {days} days.", severity=severity)
