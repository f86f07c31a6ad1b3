"""The probes, in the order the engine runs them (by phase; one phase runs concurrently)."""

from __future__ import annotations

from bastion.scanner.probes.attempts import AttemptsProbe
from bastion.scanner.probes.auth_tokens import AuthTokensProbe
from bastion.scanner.probes.base import Probe
from bastion.scanner.probes.bfla import BflaProbe
from bastion.scanner.probes.bola import BolaProbe
from bastion.scanner.probes.command import CommandInjectionProbe
from bastion.scanner.probes.conformance import ConformanceProbe
from bastion.scanner.probes.cors import CorsProbe
from bastion.scanner.probes.credentials import CredentialChangeProbe
from bastion.scanner.probes.discover import DiscoverProbe
from bastion.scanner.probes.enumeration import EnumerationProbe
from bastion.scanner.probes.exposure import ExposureProbe
from bastion.scanner.probes.headers import HeadersProbe
from bastion.scanner.probes.inventory import InventoryProbe
from bastion.scanner.probes.limits import LimitsProbe
from bastion.scanner.probes.mass_assignment import MassAssignmentProbe
from bastion.scanner.probes.nosql import NoSqlInjectionProbe
from bastion.scanner.probes.rate_limit import RateLimitProbe
from bastion.scanner.probes.redos import RedosProbe
from bastion.scanner.probes.sql import SqlInjectionProbe
from bastion.scanner.probes.ssrf import SsrfProbe
from bastion.scanner.probes.tls import TlsProbe
from bastion.scanner.probes.token_in_url import TokenInUrlProbe

ALL: tuple[Probe, ...] = (
    DiscoverProbe(),
    AuthTokensProbe(), TokenInUrlProbe(), BflaProbe(), SqlInjectionProbe(), NoSqlInjectionProbe(),
    CommandInjectionProbe(), SsrfProbe(), RedosProbe(), CorsProbe(), TlsProbe(), InventoryProbe(),
    BolaProbe(), EnumerationProbe(), MassAssignmentProbe(), CredentialChangeProbe(), LimitsProbe(),
    RateLimitProbe(), AttemptsProbe(),
    ExposureProbe(), HeadersProbe(), ConformanceProbe(),
)


def select(ids: list[str] | None) -> list[Probe]:
    """The probes named in ``ids`` (plus discovery, which every check needs); all when None."""
    if not ids:
        return list(ALL)
    unknown = set(ids) - {p.id for p in ALL}
    if unknown:
        raise ValueError(f"unknown check(s): {', '.join(sorted(unknown))}; known: {', '.join(p.id for p in ALL)}")
    return [p for p in ALL if p.id in ids or p.phase == 0]
