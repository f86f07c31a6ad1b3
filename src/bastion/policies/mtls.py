"""``mtls`` policy: authenticate the client by its TLS certificate, and bind tokens to it (RFC 8705).

The listener asks for and verifies the client certificate (``listeners[].tls.client_ca``) and hands its
DER as ``ex.request.tls_peer_cert`` plus the presented chain. This policy does not trust that alone (cf.
Keycloak CVE-2023-2422): when ``ca`` is set it re-verifies the full chain to those anchors itself, for a
client-auth certificate valid now, then maps the subject (CN, DNS, URI or e-mail SAN) to an identity,
optionally restricted to ``allowed``. The principal carries the ``x5t#S256`` thumbprint, which the
``jwt`` policy compares with a bound token's ``cnf``.
"""

from __future__ import annotations

import datetime
from typing import ClassVar, Literal

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)
from pydantic import Field

from bastion.chain.exchange import Exchange, Principal
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.errors import ConfigError
from bastion.http.problem import FORBIDDEN, UNAUTHENTICATED, Problem
from bastion.policies.bearer import warn_if_report_only
from bastion.tokens.claims import certificate_thumbprint
from bastion.tokens.load import load_ca_bundle

CHALLENGE = (("www-authenticate", 'Bearer error="invalid_token"'),)
_CLIENT_EE = ExtensionPolicy.webpki_defaults_ee().may_be_present(
    x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
"""RFC 5280 web-PKI checks for the leaf, except that client certificates often carry only a CN."""


class MtlsConfig(PolicyConfig):
    ca: str | None = None
    """PEM bundle of trusted client CAs; the chain is re-verified against it (recommended)."""
    identity: Literal["cn", "dns", "uri", "email"] = "cn"
    allowed: list[str] = Field(default_factory=list)
    """When non-empty, only these identities are accepted (403 for other valid certificates)."""
    set_principal: bool = True
    """False when another policy (``jwt``) authenticates and mTLS only binds tokens to the connection."""


class MtlsPolicy(Policy):
    name = "mtls"
    config_model = MtlsConfig
    authenticates: ClassVar[bool] = True
    config: MtlsConfig

    def __init__(self, config: MtlsConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        warn_if_report_only(self.name, config)
        self.store: Store | None = None
        if config.ca is not None:
            path = config.ca if config.ca.startswith("/") else str(deps.base_dir / config.ca)
            try:
                self.store = Store(load_ca_bundle(path))
            except ValueError as exc:
                raise ConfigError("ca", str(exc)) from None
        self.clock = deps.clock

    async def on_request(self, ex: Exchange) -> Problem | None:
        der = ex.request.tls_peer_cert
        if der is None:
            return self._deny(ex, "no client certificate", UNAUTHENTICATED.problem(
                "A client certificate is required.", headers=CHALLENGE))
        try:
            cert = x509.load_der_x509_certificate(der)
            if self.store is not None:
                self._verify(cert, ex.request.tls_peer_chain)
            identity = _identity(cert, self.config.identity)
        except (ValueError, VerificationError):
            return self._deny(ex, "certificate rejected", UNAUTHENTICATED.problem(
                "The client certificate is not trusted.", headers=CHALLENGE))
        if identity is None or (self.config.allowed and identity not in self.config.allowed):
            return self._deny(ex, "identity not allowed", FORBIDDEN.problem("This client is not allowed."))
        thumbprint = certificate_thumbprint(der)
        ex.notes[self.name] = {"identity": identity, "x5t#S256": thumbprint}
        if self.config.set_principal and ex.principal is None:
            ex.principal = Principal(subject=identity, method="mtls", cert_thumbprint=thumbprint,
                                     claims={"sub": identity})
        elif ex.principal is not None:
            ex.principal.cert_thumbprint = thumbprint
        return None

    def _verify(self, cert: x509.Certificate, chain: tuple[bytes, ...]) -> None:
        assert self.store is not None
        when = datetime.datetime.fromtimestamp(self.clock.now(), datetime.UTC)
        verifier = (PolicyBuilder().store(self.store).time(when)
                    .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=_CLIENT_EE)
                    .build_client_verifier())
        leaf = cert.public_bytes(Encoding.DER)
        verifier.verify(cert, [x509.load_der_x509_certificate(c) for c in chain if c != leaf])

    def _deny(self, ex: Exchange, reason: str, problem: Problem) -> Problem:
        ex.notes[self.name] = {"reason": reason}
        return problem


def _identity(cert: x509.Certificate, kind: str) -> str | None:
    if kind == "cn":
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        value = names[0].value if names else None
        return value if isinstance(value, str) and value else None
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None
    if kind == "dns":
        values = san.get_values_for_type(x509.DNSName)
    elif kind == "uri":
        values = san.get_values_for_type(x509.UniformResourceIdentifier)
    else:
        values = san.get_values_for_type(x509.RFC822Name)
    return values[0] if values else None
