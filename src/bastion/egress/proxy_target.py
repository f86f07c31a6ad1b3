"""The request targets a forward proxy accepts, parsed strictly (sans-I/O).

- absolute-form (RFC 9112 §3.2.2), for ordinary methods: ``http://host[:port]/path?query`` (``https://``
  too); the path is kept as received (still percent-encoded) and is ``/`` when empty;
- authority-form (RFC 9112 §3.2.3), for CONNECT only: ``host:port``, the port mandatory.

Refused with ``TargetError`` (a 400): other schemes, userinfo (``user@host``), fragments, empty hosts,
percent-encoded or non-ASCII names (an IDN must arrive as punycode), numeric host forms other than a
dotted-quad IPv4 (``0x7f.1``, ``2130706433``: resolvers read them as addresses), IPv6 zone identifiers
(``[fe80::1%25eth0]``), ports that are missing (CONNECT), zero, above 65535 or written with leading
zeros. Names are lower-cased and lose one trailing dot.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
_PORT = re.compile(r"^[1-9][0-9]{0,4}$")
DEFAULT_PORTS = {"http": 80, "https": 443}


class TargetError(ValueError):
    """The request target is not one a forward proxy accepts; the message is safe to show the client."""


@dataclass(frozen=True, slots=True)
class ProxyTarget:
    scheme: str
    """``http`` or ``https`` (absolute-form), ``""`` for CONNECT's authority-form."""
    host: str
    """Lower-case name, or an IP address literal without brackets."""
    port: int | None
    """``None`` when an absolute-form target gave none."""
    path: str = ""
    """The path as received (percent-encoding kept); ``/`` when the target had none. Empty for CONNECT."""
    query: str = ""

    @property
    def hostport(self) -> str:
        """``host:port`` as allow-lists write it (IPv6 in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port if self.port is not None else DEFAULT_PORTS[self.scheme]}"


def parse_absolute_form(target: str) -> ProxyTarget:
    """``http://host[:port]/path?query`` → ``ProxyTarget``, or ``TargetError``."""
    m = _SCHEME.match(target)
    if m is None:
        raise TargetError("expected an absolute-form target such as http://host/path")
    scheme = m.group(1).lower()
    if scheme not in DEFAULT_PORTS:
        raise TargetError("only http:// and https:// targets are proxied")
    if "#" in target:
        raise TargetError("fragments are not allowed in a request target")
    rest = target[m.end():]
    end = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    host, port = _authority(rest[:end], port_required=False)
    path, _, query = rest[end:].partition("?")
    return ProxyTarget(scheme, host, port, path or "/", query)


def parse_authority_form(target: str) -> ProxyTarget:
    """CONNECT's ``host:port`` → ``ProxyTarget``, or ``TargetError``."""
    if any(c in target for c in "/?#"):
        raise TargetError("CONNECT takes host:port only")
    host, port = _authority(target, port_required=True)
    return ProxyTarget("", host, port)


def _authority(text: str, *, port_required: bool) -> tuple[str, int | None]:
    if not text:
        raise TargetError("the target names no host")
    if "@" in text:
        raise TargetError("credentials (userinfo) are not allowed in a request target")
    if text.startswith("["):
        inner, bracket, tail = text[1:].partition("]")
        if not bracket:
            raise TargetError("unterminated IPv6 literal")
        host = _ipv6(inner)
        if tail and not tail.startswith(":"):
            raise TargetError("malformed authority")
        port_text = tail[1:] if tail else None
    else:
        name, colon, port_text_or_empty = text.rpartition(":")
        if not colon:
            name, port_text = text, None
        else:
            port_text = port_text_or_empty
        host = _hostname(name)
    if port_text is None:
        if port_required:
            raise TargetError("CONNECT needs an explicit port (host:port)")
        return host, None
    if not _PORT.match(port_text) or int(port_text) > 65535:
        raise TargetError("invalid port")
    return host, int(port_text)


def _ipv6(inner: str) -> str:
    if "%" in inner:
        raise TargetError("IPv6 zone identifiers are not allowed")
    try:
        return str(ipaddress.IPv6Address(inner))
    except ValueError:
        raise TargetError("invalid IPv6 literal") from None


def _hostname(name: str) -> str:
    name = name.lower()
    if name.endswith("."):
        name = name[:-1]
    if not name or len(name) > 253:
        raise TargetError("invalid host name")
    labels = name.split(".")
    if not all(_LABEL.match(label) for label in labels):
        raise TargetError("invalid host name (ASCII letters, digits, '-' and '.' only)")
    last = labels[-1]
    if last.isdigit() or last.startswith("0x"):
        try:  # numeric forms must be a plain dotted quad: resolvers read 0x7f.1 or 2130706433 as addresses
            return str(ipaddress.IPv4Address(name))
        except ValueError:
            raise TargetError("invalid IPv4 address") from None
    return name
