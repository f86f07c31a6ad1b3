"""Egress failures. Each carries a stable ``code`` for the audit record and metrics; messages are for
logs and audit only (they may name hosts and addresses) and never reach the caller, who gets a 502/504
problem naming the partner alone. No message ever contains a credential.
"""

from __future__ import annotations

from typing import ClassVar

from bastion.errors import UpstreamTimeout, UpstreamUnavailable


class EgressError(UpstreamUnavailable):
    code: ClassVar[str] = "egress-error"


class DestinationRefused(EgressError):
    """The host is not allow-listed for the partner, or it resolved to a refused address (SSRF)."""

    code = "destination-refused"


class PinMismatch(EgressError):
    """The partner's TLS public key matches none of the configured SPKI pins."""

    code = "spki-pin-mismatch"


class PartnerUnreachable(EgressError):
    """Connection refused or reset, TLS handshake or certificate verification failed, bad framing."""

    code = "partner-unreachable"


class UnsafeRequest(EgressError):
    """The request head would carry CR, LF or NUL in a header, a malformed header name or request target
    (a credential from the secret store with a line break in it, say): never sent."""

    code = "unsafe-request"


class PartnerTimeout(UpstreamTimeout):
    code: ClassVar[str] = "partner-timeout"


class CredentialUnavailable(EgressError):
    """The partner credential could not be obtained (token endpoint refused, secret missing)."""

    code = "credential-unavailable"


class ResponseRejected(EgressError):
    """The partner's response failed validation: size, type, schema, redirect or injected content."""

    code = "response-rejected"
