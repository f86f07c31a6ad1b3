"""Request and response heads as the gateway sees them after the one canonical parse."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from bastion.http.headers import Headers, MutableHeaders


@dataclass(frozen=True, slots=True)
class RequestHead:
    """What the client sent, parsed once and strictly. Immutable: policies read it, never edit it.

    ``path`` is the normalised, percent-decoded path (see ``http/paths.py``) that routing and every
    policy see; ``raw_path`` is the target's path as received. ``client_ip`` is already resolved
    through the ``trusted_proxies`` rule.
    """

    method: str
    path: str
    raw_path: str
    query_string: str
    headers: Headers
    scheme: str = "https"
    client_ip: str = "127.0.0.1"
    http_version: str = "1.1"
    host: str = ""
    tls_peer_cert: bytes | None = None
    """DER of the verified client certificate on mTLS listeners."""
    tls_peer_chain: tuple[bytes, ...] = ()

    @property
    def query(self) -> list[tuple[str, str]]:
        """Decoded query parameters, in order, duplicates kept."""
        return parse_qsl(self.query_string, keep_blank_values=True)

    @property
    def target(self) -> str:
        return self.raw_path + ("?" + self.query_string if self.query_string else "")


@dataclass(slots=True)
class ResponseHead:
    """The response the client will get; the response phase may edit the headers or replace it."""

    status: int
    headers: MutableHeaders = field(default_factory=MutableHeaders)
    reason: str = ""
