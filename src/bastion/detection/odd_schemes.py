"""URLs of schemes the SSRF rule's lists leave out that still reach an internal host, and PHP's ``ssh2.*`` wrappers.

``ssrf.is_ssrf`` reads web schemes (an internal host is the target) and the fetcher schemes of ``BAD_SCHEMES``
(``file:``, ``gopher:`` … whatever the host). A client library that follows a URL reaches many more protocols
(``imap://``, ``pop3://``, ``rsync://``, ``ssh://``, ``rtmp://``, ``irc://``, ``acap://``, curl alone speaks two dozen),
and a test for "is it http(s)" is what an attacker avoids: any scheme with ``//`` and an internal host (loopback,
private, link-local, metadata, in any notation ``ssrf.internal_address`` reads) is a target. Hosts written in
enclosed alphanumerics or full-width forms (``ⓛⓞⓒⓐⓛⓗⓞⓢⓣ``, ``①②⑦.⓪.⓪.①``) are folded with NFKC first, as IDNA
does before resolving them. PHP's ``ssh2.tunnel://``, ``ssh2.exec://``, ``ssh2.shell://`` open a tunnel or run a
command on the named host whatever it is. A URL to a public host (``ssh://git@github.com/…``) passes.
"""

from __future__ import annotations

import re
import unicodedata

from bastion.detection.ssrf import BAD_SCHEMES, internal_address

Span = tuple[int, int]

_URL = re.compile(r"(?<![\w.+-])([a-z][a-z0-9+.-]{0,20})://([^\s\"'<>/?#\\]*)", re.I)
_READ_ELSEWHERE = BAD_SCHEMES | {"http", "https", "ws", "wss"}
"""Schemes ``is_ssrf`` judges with its own rules (a link to an internal page in an ``href`` passes there)."""
_PHP_SSH2 = frozenset({"ssh2.tunnel", "ssh2.exec", "ssh2.shell", "ssh2.sftp", "ssh2.scp"})


def _lone_number(host: str) -> bool:
    """``rdar://1234``: a number below 2**24 is an id (a bug number, a ticket), not the address 0.0.4.210 (fresh51)."""
    return host.isdigit() and int(host) < 1 << 24


def odd_scheme_target(value: str) -> Span | None:
    """The span of a URL of any scheme whose host is internal, or of a PHP ``ssh2.*`` wrapper URL."""
    folded = value if value.isascii() else unicodedata.normalize("NFKC", value)
    low = folded.lower()
    if low.count("://") == low.count("http://") + low.count("https://"):
        return None  # the web schemes are ``is_ssrf``'s
    for m in _URL.finditer(folded):
        scheme = m.group(1).lower()
        if scheme in _READ_ELSEWHERE:
            continue
        host = m.group(2).rpartition("@")[2]
        if host.startswith("["):
            host = host.partition("]")[0] + "]"
        else:
            host = host.rpartition(":")[0] if host.count(":") == 1 else host
        if scheme in _PHP_SSH2 or (host and not _lone_number(host) and internal_address(host)):
            return (m.start(), m.end()) if folded is value else (0, len(value))
    return None
