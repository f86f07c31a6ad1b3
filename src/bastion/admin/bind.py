"""Where the admin listener may bind: loopback by default, elsewhere only with authentication."""

from __future__ import annotations

import ipaddress

from bastion.errors import ConfigError


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_admin_bind(address: str, *, token_configured: bool, client_cert_required: bool = False) -> None:
    """Raise ``ConfigError`` when ``address`` is not loopback and the admin listener has no authentication.

    Call before binding. Authentication is an admin token (``admin.token``) or a required client
    certificate. A generated token does not count: off loopback, the operator must choose one.
    """
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError("admin.address", "expected HOST:PORT")
    if is_loopback_host(host):
        return
    if not (token_configured or client_cert_required):
        raise ConfigError("admin.address", f"refusing to serve the admin API on non-loopback {host!r} without "
                                           "authentication: set admin.token (or require client certificates)")
