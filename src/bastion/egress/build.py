"""Build the egress service from the validated ``egress:`` section (once, at gateway start-up)."""

from __future__ import annotations

import ssl
import warnings
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.egress.addresses import parse_networks
from bastion.egress.audit import AuditSink
from bastion.egress.client import Origin, PartnerClient
from bastion.egress.config import (
    ApiKeyCredential,
    EgressSection,
    HeadersCredential,
    HmacCredential,
    OAuth2Credential,
    PartnerConfig,
    ResponseRules,
)
from bastion.egress.connector import PinnedBackend, Resolver, StaticResolver, SystemResolver, partner_ssl_context
from bastion.egress.contract import Contract, OpenApiContract, SchemaContract
from bastion.egress.credential_source import CredentialSource
from bastion.egress.injection import HmacInjector, Injector, NoInjector, OAuthInjector, StaticInjector
from bastion.egress.oauth import TokenSource
from bastion.egress.service import EgressService, Partner
from bastion.egress.validation import Inspector, ResponseGuard
from bastion.errors import ConfigError, SecurityWarning
from bastion.openapi import OpenAPIDocument
from bastion.secrets.store import SecretStore


async def build_egress(
    section: EgressSection,
    *,
    store: SecretStore | None = None,
    base_dir: Path | None = None,
    clock: Clock = SYSTEM_CLOCK,
    resolver: Resolver | None = None,
    audit: AuditSink | None = None,
    inspector: Inspector | None = None,
    openapi: Mapping[str, OpenAPIDocument] | None = None,
) -> EgressService:
    """Build the service and load client certificates whose keys live in the secret store."""
    source = CredentialSource(store, clock=clock, ttl=section.credential_cache, base_dir=base_dir)
    service = build_egress_sync(section, source, base_dir=base_dir, clock=clock, resolver=resolver, audit=audit,
                                inspector=inspector, openapi=openapi)
    await load_client_certificates(service)
    return service


def build_egress_sync(
    section: EgressSection,
    source: CredentialSource,
    *,
    base_dir: Path | None = None,
    clock: Clock = SYSTEM_CLOCK,
    resolver: Resolver | None = None,
    audit: AuditSink | None = None,
    inspector: Inspector | None = None,
    openapi: Mapping[str, OpenAPIDocument] | None = None,
) -> EgressService:
    """Build without I/O (config compile time). Partners with a client certificate get it on
    ``load_client_certificates`` (a start-up step); until then their pool has no client key."""
    base = base_dir or Path.cwd()
    partners = {
        name: build_partner(name, cfg, source, base, resolver or SystemResolver(), clock, inspector, openapi)
        for name, cfg in section.partners.items()
    }
    return EgressService(partners, audit=audit, clock=clock, mount=section.mount)


async def load_client_certificates(service: EgressService) -> None:
    for name, partner in service.partners.items():
        if partner.needs_client_key:
            await service.reload_tls(name)


def build_partner(name: str, cfg: PartnerConfig, source: CredentialSource, base_dir: Path,
                  resolver: Resolver, clock: Clock, inspector: Inspector | None = None,
                  openapi: Mapping[str, OpenAPIDocument] | None = None) -> Partner:
    origin = Origin.of(cfg.url)
    allowed = {f"{origin.host}:{origin.port}", *cfg.allow_hosts}
    cred = cfg.credential
    if isinstance(cred, OAuth2Credential):
        token_origin = Origin.of(cred.token_url)
        allowed.add(f"{token_origin.host}:{token_origin.port}")
    pins = {origin.host: frozenset(cfg.tls.spki_pins)} if cfg.tls.spki_pins else {}
    if cfg.addresses:
        resolver = StaticResolver(cfg.addresses, fallback=resolver)
    backend = PinnedBackend(name, resolver, frozenset(allowed), parse_networks(cfg.allow_networks), pins)

    ca = base_dir / cfg.tls.ca if cfg.tls.ca else None

    async def tls_factory() -> ssl.SSLContext:
        key_pem = (await source.current(cfg.tls.client_key)).value.reveal() if cfg.tls.client_key else None
        cert = base_dir / cfg.tls.client_cert if cfg.tls.client_cert else None
        return partner_ssl_context(name, ca=ca, client_cert=cert, client_key_pem=key_pem)

    client = PartnerClient(name, backend, partner_ssl_context(name, ca=ca), cfg.timeouts.connect, cfg.timeouts.total,
                           read_timeout=cfg.timeouts.read)
    injector: Injector
    if isinstance(cred, OAuth2Credential):
        injector = OAuthInjector(TokenSource(name, cred, client, source, clock))
    elif isinstance(cred, ApiKeyCredential | HeadersCredential):
        injector = StaticInjector(cred, source)
    elif isinstance(cred, HmacCredential):
        injector = HmacInjector(cred, source, clock)
    else:
        injector = NoInjector()
    rules = cfg.response
    contract = _contract(name, rules, openapi or {}, inspector)
    base_path = urlsplit(cfg.url).path.rstrip("/")
    return Partner(
        name=name,
        base_url=f"https://{origin.authority}{base_path}",
        client=client,
        injector=injector,
        contract=contract,
        callers=frozenset(cfg.callers),
        allow_fields=frozenset(cfg.request.allow_fields) if cfg.request.allow_fields is not None else None,
        max_request_bytes=cfg.request.max_bytes,
        max_response_bytes=rules.max_bytes,
        tls_factory=tls_factory,
        needs_client_key=cfg.tls.client_cert is not None,
    )


def _contract(name: str, rules: ResponseRules, docs: Mapping[str, OpenAPIDocument],
              inspector: Inspector | None) -> Contract:
    path = f"egress.partners.{name}.response"
    if rules.openapi is not None:
        doc = docs.get(rules.openapi)
        if doc is None:
            raise ConfigError(f"{path}.openapi", f"no document named {rules.openapi!r} in the openapi: section")
        try:
            return OpenApiContract(name, doc, inspect=rules.inspect, inspector=inspector)
        except Exception as exc:
            reason = type(exc).__name__
            raise ConfigError(f"{path}.openapi", f"cannot compile its response schemas ({reason})") from None
    if rules.schema_ is None and rules.allow_unvalidated:
        warnings.warn(f"{path}: partner responses reach callers unvalidated", SecurityWarning, stacklevel=3)
    try:
        return SchemaContract(ResponseGuard(name, rules.schema_, inspect=rules.inspect,
                                            allow_unvalidated=rules.allow_unvalidated, inspector=inspector))
    except Exception as exc:
        raise ConfigError(f"{path}.schema", f"invalid JSON Schema ({type(exc).__name__})") from None
